package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    private static final int RECORDS = 6;

    @TempDir
    Path dir;

    /** Appends RECORDS records, one commit group each, and returns the start offset of each plus the file end. */
    private long[] writeRecords(Path journalDir) {
        long[] starts = new long[RECORDS + 1];
        starts[0] = Segment.HEADER_SIZE;
        try (FileJournal journal = FileJournal.open(journalDir)) {
            for (int i = 0; i < RECORDS; i++) {
                JournalRecord r = record("exec", Integer.toString(i), "payload number " + i);
                journal.append(r);
                starts[i + 1] = starts[i] + RecordCodec.encode(r).length;
            }
        }
        try {
            // As after a crash: the snapshot written by close would vouch for every record.
            Files.delete(journalDir.resolve(IndexSnapshot.FILE_NAME));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return starts;
    }

    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096);

    /** 300 records over several segments, without the snapshot that close writes (as after a crash). */
    private void writeSeveralSegmentsAsBeforeACrash() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 300; i++) {
                journal.append(record("exec", Integer.toString(i), "payload " + i));
            }
        }
        Files.delete(dir.resolve(IndexSnapshot.FILE_NAME));
    }

    private static Path segment(Path journalDir) {
        return journalDir.resolve(Segment.fileName(1));
    }

    static List<Path> tornCopies(Path journalDir) throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            return files.filter(p -> p.getFileName().toString().contains(".torn-"))
                    .toList();
        }
    }

    /**
     * Cuts the last records at every byte, both as a file that ends there and as a preallocated file whose zeros
     * were never overwritten from there on.
     */
    @Test
    void aTornWriteAtEveryOffsetOfTheLastRecordsLosesOnlyTheTornRecordAndKeepsACopy() throws IOException {
        Path original = dir.resolve("original");
        long[] starts = writeRecords(original);
        byte[] bytes = Files.readAllBytes(segment(original));
        assertThat(RecordCodec.isZero(bytes, (int) starts[RECORDS], bytes.length))
                .as("preallocated zeros")
                .isTrue();

        int firstTorn = RECORDS - 3;
        for (long cut = starts[firstTorn]; cut < starts[RECORDS]; cut++) {
            int torn = tornRecordAt(starts, cut);
            byte[] removed = Arrays.copyOfRange(bytes, (int) starts[torn], (int) cut);
            int written = removed.length;
            while (written > 0 && removed[written - 1] == 0) {
                written--;
            }
            byte[] expectedCopy = Arrays.copyOf(removed, written);

            byte[] zeroedFromCut = bytes.clone();
            Arrays.fill(zeroedFromCut, (int) cut, zeroedFromCut.length, (byte) 0);
            for (byte[] content : List.of(Arrays.copyOf(bytes, (int) cut), zeroedFromCut)) {
                String variant = content.length == cut ? "truncated" : "zeroed";
                Path copy = Files.createDirectory(dir.resolve(variant + "-" + cut));
                Files.write(segment(copy), content);

                try (FileJournal journal = FileJournal.open(copy)) {
                    assertThat(journal.read("exec"))
                            .as("%s at %d", variant, cut)
                            .extracting(JournalRecord::operationId)
                            .containsExactlyElementsOf(ids(torn));
                }
                if (written == 0) {
                    assertThat(tornCopies(copy))
                            .as("%s at %d tears nothing", variant, cut)
                            .isEmpty();
                } else {
                    assertThat(Files.size(segment(copy)))
                            .as("%s at %d", variant, cut)
                            .isEqualTo(starts[torn]);
                    assertThat(tornCopies(copy))
                            .as("%s at %d", variant, cut)
                            .singleElement()
                            .satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(expectedCopy));
                }
            }
        }
    }

    @Test
    void zeroedBytesInTheLastRecordAreATornWriteToo() throws IOException {
        long[] starts = writeRecords(dir);
        Path file = segment(dir);
        byte[] bytes = Files.readAllBytes(file);
        int from = (int) (starts[RECORDS - 1] + 10);
        Arrays.fill(bytes, from, bytes.length, (byte) 0);
        Files.write(file, bytes);

        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("exec"))
                    .extracting(JournalRecord::operationId)
                    .containsExactlyElementsOf(ids(RECORDS - 1));
            journal.append(record("exec", "again", "x"));
        }
        assertThat(tornCopies(dir)).hasSize(1);
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("exec")).hasSize(RECORDS);
        }
    }

    @Test
    void unwrittenZerosAfterTheLastRecordAreNotDamage() throws IOException {
        long[] starts = writeRecords(dir);
        Files.write(segment(dir), new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("exec")).hasSize(RECORDS);
            journal.append(record("exec", "next", "x"));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("exec")).hasSize(RECORDS + 1);
        }
        assertThat(tornCopies(dir)).isEmpty();
        assertThat(starts[RECORDS]).isPositive();
    }

    @Test
    void preallocatedZerosLeftInAnEarlierSegmentByACrashAreNotDamage() throws IOException {
        writeSeveralSegmentsAsBeforeACrash();
        Files.write(segment(dir), new byte[8192], java.nio.file.StandardOpenOption.APPEND); // truncation lost
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.read("exec")).hasSize(300);
        }
    }

    @Test
    void aFlippedByteInTheMiddleIsRefusedNamingFileAndOffset() throws IOException {
        long[] starts = writeRecords(dir);
        Path file = segment(dir);
        byte[] bytes = Files.readAllBytes(file);
        int damaged = (int) starts[2];
        bytes[damaged + 20] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + damaged)
                .hasMessageContaining("checksum")
                .hasMessageContaining("backup");
        assertThat(Files.readAllBytes(file)).as("nothing was truncated").isEqualTo(bytes);
        assertThat(tornCopies(dir)).isEmpty();
    }

    @Test
    void aDamagedTailThatTheSnapshotVouchesForIsRefused() throws IOException {
        JournalRecord acknowledged = record("exec", "1", "acknowledged and covered by the snapshot written at close");
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(acknowledged);
        }
        Path file = segment(dir);
        int end = Segment.HEADER_SIZE + RecordCodec.encode(acknowledged).length;
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), end - 1));

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("snapshot shows acknowledged records up to offset " + end);
        assertThat(tornCopies(dir)).isEmpty();
    }

    @Test
    void damageInAnEarlierSegmentIsRefused() throws IOException {
        writeSeveralSegmentsAsBeforeACrash();
        Path first = segment(dir);
        byte[] bytes = Files.readAllBytes(first);
        int end = bytes.length;
        Files.write(first, Arrays.copyOf(bytes, end - 3));

        assertThatThrownBy(() -> FileJournal.open(dir, SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("later segment");
    }

    @Test
    void aSegmentFromANewerFormatVersionIsRefusedClearly() throws IOException {
        writeRecords(dir);
        Path file = segment(dir);
        byte[] bytes = Files.readAllBytes(file);
        RecordCodec.putInt(bytes, 8, Segment.VERSION + 1);
        Files.write(file, bytes);

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("format version " + (Segment.VERSION + 1))
                .hasMessageContaining("newer");
    }

    @Test
    void aForeignFileNamedLikeASegmentIsRefused() throws IOException {
        Files.writeString(segment(dir), "hello, this is not a journal segment at all");
        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("not a Durable journal segment");
    }

    /** The real disk, except that its listings also show torn copies stamped in each of the last two seconds. */
    private static final class TornCopiesEverySecond implements JournalStorage {
        private static final DateTimeFormatter STAMP =
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

        @Override
        public List<Path> list(Path dir) throws IOException {
            List<Path> files = new ArrayList<>(JournalStorage.super.list(dir));
            Instant now = Instant.now();
            for (int ms = 0; ms <= 2000; ms++) {
                files.add(dir.resolve(Segment.fileName(1) + ".torn-" + STAMP.format(now.minusMillis(ms))));
            }
            return files;
        }
    }

    @Test
    void aTornCopyWhoseNameIsTakenIsKeptUnderANumberedName() throws IOException {
        long[] starts = writeRecords(dir);
        Path file = segment(dir);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) starts[RECORDS] - 5));

        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(new TornCopiesEverySecond()))) {
            assertThat(journal.read("exec")).hasSize(RECORDS - 1);
        }
        assertThat(tornCopies(dir))
                .singleElement()
                .satisfies(copy -> assertThat(copy.getFileName().toString())
                        .matches(Pattern.quote(Segment.fileName(1)) + "\\.torn-\\d{8}T\\d{9}Z-1"));
    }

    @Test
    void intactRecordsAfterATornOneThatDoNotEndTheirCommitGroupAreTornToo() throws IOException {
        try (FileJournal journal = FileJournal.open(dir)) {
            for (String id : List.of("a", "b", "c")) {
                journal.append(record(id, "1", "kept " + id));
            }
        }
        long records = 0;
        for (String id : List.of("a", "b", "c")) {
            records += RecordCodec.encode(record(id, "1", "kept " + id)).length;
        }
        long end = Segment.HEADER_SIZE + records;
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.forget(List.of("a", "b", "c")); // one commit group of three markers, only the last ends it
        }
        Files.delete(dir.resolve(IndexSnapshot.FILE_NAME));
        Path file = segment(dir);
        byte[] bytes = Files.readAllBytes(file);
        int marker = RecordCodec.encode(RecordCodec.FORGOTTEN, "a", "", new byte[0]).length;
        bytes[(int) end + 9] ^= 0x40; // the first marker's flags: its checksum no longer matches
        int cut = (int) end + 3 * marker - 2; // the last marker, which ends the group, torn
        Files.write(file, Arrays.copyOf(bytes, cut));

        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.executionIds())
                    .as("the forget was never acknowledged")
                    .containsExactly("a", "b", "c");
        }
        assertThat(Files.size(file)).isEqualTo(end);
        assertThat(tornCopies(dir))
                .singleElement()
                .satisfies(copy -> assertThat(Files.readAllBytes(copy))
                        .as("the torn bytes up to the last non-zero one")
                        .isEqualTo(Arrays.copyOfRange(bytes, (int) end, cut - 2)));
    }

    @Test
    void aSmallestRecordEndingItsCommitGroupAtTheVeryEndOfTheFileStillRefusesTheOpen() throws IOException {
        JournalRecord smallest = new JournalRecord(dev.durable.spi.journal.RecordType.OPERATION, "", "", new byte[0]);
        long[] starts = writeRecords(dir);
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(smallest);
        }
        Files.delete(dir.resolve(IndexSnapshot.FILE_NAME));
        Path file = segment(dir);
        int end = (int) starts[RECORDS] + RecordCodec.MIN_FRAME;
        byte[] bytes = Arrays.copyOf(Files.readAllBytes(file), end); // without the preallocated zeros
        bytes[(int) starts[RECORDS - 1] + 20] ^= 0x10;
        Files.write(file, bytes);

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file + " is damaged at offset " + starts[RECORDS - 1])
                .hasMessageContaining("an intact commit group ends at offset " + starts[RECORDS]);
        assertThat(Files.readAllBytes(file)).as("nothing was cut off").isEqualTo(bytes);
    }

    @Test
    void aSegmentExactlyAsLongAsItsSnapshotSaysReopens() throws IOException {
        FileJournalOptions unallocated = FileJournalOptions.defaults();
        long[] starts = writeRecords(dir);
        try (FileJournal journal = FileJournal.open(dir, unallocated)) {
            journal.append(record("exec", "last", "x"));
        }
        Path file = segment(dir);
        long end = starts[RECORDS] + RecordCodec.encode(record("exec", "last", "x")).length;
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) end)); // as if it had not been preallocated
        try (FileJournal journal = FileJournal.open(dir, unallocated)) {
            assertThat(journal.read("exec")).hasSize(RECORDS + 1);
        }
    }

    @Test
    void aSegmentCutShortBelowWhatTheSnapshotVouchesForIsRefusedSayingSo() throws IOException {
        long[] starts = writeRecords(dir);
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("exec", "last", "covered by the snapshot"));
        }
        Path file = segment(dir);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) starts[RECORDS]));

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal file " + file + " is " + starts[RECORDS]
                        + " bytes long, but the index" + " snapshot shows acknowledged records up to offset")
                .hasMessageContaining("delete " + IndexSnapshot.FILE_NAME + " to accept the loss");
    }

    @Test
    void aReopenedJournalCompactsFromItsSnapshotWithoutLosingLiveRecords() throws IOException {
        FileJournalOptions small = SMALL.automaticCompaction(false);
        List<String> kept = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 200; i++) {
                boolean keep = i % 4 == 0;
                journal.append(record(keep ? "kept" : "gone", Integer.toString(i), "payload " + i));
                if (keep) {
                    kept.add(Integer.toString(i));
                }
            }
            journal.forget(List.of("gone"));
        }
        for (int reopen = 0; reopen < 2; reopen++) {
            try (FileJournal journal = FileJournal.open(dir, small)) { // the index comes from the snapshot
                assertThat(journal.read("kept"))
                        .extracting(JournalRecord::operationId)
                        .containsExactlyElementsOf(kept);
                journal.compact();
                assertThat(journal.read("kept"))
                        .extracting(JournalRecord::operationId)
                        .containsExactlyElementsOf(kept);
            }
        }
        try (FileJournal journal = FileJournal.open(dir, small)) {
            assertThat(journal.executionIds()).containsExactly("kept");
            assertThat(journal.read("kept"))
                    .extracting(JournalRecord::operationId)
                    .containsExactlyElementsOf(kept);
        }
    }

    private static int tornRecordAt(long[] starts, long cut) {
        for (int i = RECORDS - 1; i >= 0; i--) {
            if (starts[i] <= cut) {
                return i;
            }
        }
        throw new IllegalArgumentException("cut " + cut);
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }

    @Test
    void damageInASegmentAnOlderSnapshotVouchesForIsRefusedSayingSoThoughLaterSegmentsExist() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 300; i++) {
                journal.append(record("exec", Integer.toString(i), "payload " + i));
            }
        }
        byte[] olderSnapshot = Files.readAllBytes(dir.resolve(IndexSnapshot.FILE_NAME));
        long covered = new Recovery(dir, JournalStorage.DISK).segmentFiles().lastKey();
        assertThat(covered).as("the older snapshot covers several segments").isGreaterThan(1);
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 300; i < 600; i++) {
                journal.append(record("exec", Integer.toString(i), "payload " + i));
            }
        }
        Files.write(dir.resolve(IndexSnapshot.FILE_NAME), olderSnapshot); // as if the newer one had not been saved
        Path damaged = dir.resolve(Segment.fileName(covered));
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[Segment.HEADER_SIZE + 20] ^= 0x01; // inside its first record
        Files.write(damaged, bytes);

        assertThatThrownBy(() -> FileJournal.open(dir, SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(damaged.toString())
                .hasMessageContaining("the index snapshot shows that records up to offset");
    }

    /**
     * A compaction whose rename of the new generation of segment 1 failed after the manifest listed it: what a crash
     * between the two leaves.
     *
     * @return the records of the execution it kept
     */
    private List<String> compactionInterruptedBeforeItsRename() throws IOException {
        PowerLossStorage disk = new PowerLossStorage(dir); // only to tell which files are open
        JournalStorage renameFails = new JournalStorage() {
            @Override
            public StorageFile open(Path file, boolean create) throws IOException {
                return disk.open(file, create);
            }

            @Override
            public StorageFile openReadOnly(Path file) throws IOException {
                return disk.openReadOnly(file);
            }

            @Override
            public void forceDirectory(Path directory) throws IOException {
                disk.forceDirectory(directory);
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                if (source.getFileName().toString().equals(Segment.rewriteFileName(1))) {
                    throw new IOException("Input/output error");
                }
                disk.move(source, target);
            }

            @Override
            public void delete(Path file) throws IOException {
                disk.delete(file);
            }

            @Override
            public List<Path> list(Path directory) throws IOException {
                return disk.list(directory);
            }
        };
        List<String> kept = new ArrayList<>();
        try (FileJournal journal =
                FileJournal.open(dir, SMALL.automaticCompaction(false).storage(renameFails))) {
            for (int i = 0; i < 200; i++) {
                boolean keep = i % 4 == 0;
                journal.append(record(keep ? "kept" : "gone", Integer.toString(i), "payload " + i));
                if (keep) {
                    kept.add(Integer.toString(i));
                }
            }
            journal.forget(List.of("gone"));
            assertThatThrownBy(journal::compact).isInstanceOf(JournalException.class);
            assertThat(journal.failure())
                    .as("the manifest had changed: the journal stops")
                    .isPresent();
            assertThatThrownBy(() -> journal.append(record("kept", "after", "the failure")))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("open it again");
        }
        assertThat(disk.openFiles()).isEmpty();
        assertThat(dir.resolve(Segment.rewriteFileName(1))).exists();
        return kept;
    }

    @Test
    void anInterruptedCompactionIsCompletedAtOpenEvenWhenTheOldGenerationIsGone() throws IOException {
        List<String> kept = compactionInterruptedBeforeItsRename();
        Files.delete(segment(dir));

        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.read("kept"))
                    .extracting(JournalRecord::operationId)
                    .containsExactlyElementsOf(kept);
            assertThat(journal.executionIds()).containsExactly("kept");
        }
    }

    @Test
    void anInterruptedCompactionIsCompletedAtOpenEvenWhenTheOldGenerationNoLongerReadsAsASegment() throws IOException {
        List<String> kept = compactionInterruptedBeforeItsRename();
        Files.write(segment(dir), new byte[Segment.HEADER_SIZE]);

        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.read("kept"))
                    .extracting(JournalRecord::operationId)
                    .containsExactlyElementsOf(kept);
        }
    }

    @Test
    void aFileNamedAsASegmentThatCompactionDeletedButThatIsNoSegmentIsNotDeletedAtOpen() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL.automaticCompaction(false))) {
            for (int i = 0; i < 200; i++) {
                journal.append(record(i < 150 ? "gone" : "kept", Integer.toString(i), "payload " + i));
            }
            journal.forget(List.of("gone"));
            journal.compact();
        }
        Path first = segment(dir);
        assertThat(first).as("deleted by compaction").doesNotExist();
        byte[] notASegment = "someone else's file, not a journal segment".getBytes(StandardCharsets.UTF_8);
        Files.write(first, notASegment);

        assertThatThrownBy(() -> FileJournal.open(dir, SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(first + " is not listed in " + Manifest.FILE_NAME);
        assertThat(Files.readAllBytes(first)).isEqualTo(notASegment);
    }

    @Test
    void aFileNamedAsSegmentZeroBeforeTheListedOnesIsRefused() throws IOException {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("exec", "1", "x"));
        }
        Path zero = dir.resolve(Segment.fileName(0));
        Files.copy(segment(dir), zero);

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(zero + " is not listed in " + Manifest.FILE_NAME);
    }

    @Test
    void anOpenRefusedForAnySegmentLeavesNoFileOpen() throws IOException {
        writeSeveralSegmentsAsBeforeACrash();
        Path second = dir.resolve(Segment.fileName(2));
        byte[] original = Files.readAllBytes(second);
        byte[] badHeader = original.clone();
        badHeader[0] ^= 0x01;
        Files.write(second, badHeader);
        PowerLossStorage storage = new PowerLossStorage(dir);
        assertThatThrownBy(() -> FileJournal.open(dir, SMALL.storage(storage)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("is not a Durable journal segment");
        assertThat(storage.openFiles()).isEmpty();

        byte[] badRecord = original.clone();
        badRecord[Segment.HEADER_SIZE + 20] ^= 0x01;
        Files.write(second, badRecord);
        assertThatThrownBy(() -> FileJournal.open(dir, SMALL.storage(storage)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("a later segment file exists");
        assertThat(storage.openFiles()).isEmpty();
    }
}
