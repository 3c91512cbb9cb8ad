package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.CompactionTest.contents;
import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);

    @TempDir
    Path dir;

    /** A record of about 250 bytes, so that a few appends (each forced) fill several small segments. */
    private static JournalRecord padded(String execution, int i) {
        return record(execution, Integer.toString(i), "payload " + i + " " + "x".repeat(220));
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private Path segment(long sequence) {
        return journalDir().resolve(Segment.fileName(sequence));
    }

    /** 80 records over four or more segments, closed cleanly (with its index snapshot). */
    private Map<String, List<String>> writeSeveralSegments() {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            for (int i = 0; i < 80; i++) {
                journal.append(padded("e" + (i % 5), i));
            }
            assertThat(segmentFiles(journalDir())).hasSizeGreaterThanOrEqualTo(4);
            return contents(journal);
        }
    }

    private static List<Path> segmentFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Segment.sequenceOf(f.getFileName().toString()) >= 0)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long lastSequence() {
        return Segment.sequenceOf(segmentFiles(journalDir())
                .get(segmentFiles(journalDir()).size() - 1)
                .getFileName()
                .toString());
    }

    /** Open refuses, naming {@code file} and what to do, and the verifier reports the same. */
    private void assertRefusedNaming(Path file, String... more) {
        var refusal = assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("backup");
        for (String m : more) {
            refusal.hasMessageContaining(m);
        }
        JournalVerifier.Report report = JournalVerifier.verify(journalDir());
        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem).contains(file.toString()));
    }

    @Test
    void aDeletedSegmentInTheMiddleIsRefusedNamingIt() throws IOException {
        writeSeveralSegments();
        Files.delete(segment(2));
        assertRefusedNaming(segment(2), "is missing", "sealed segment of");
    }

    @Test
    void aDeletedLastSealedSegmentIsRefused() throws IOException {
        writeSeveralSegments();
        Path lastSealed = segment(lastSequence() - 1);
        Files.delete(lastSealed);
        Files.delete(journalDir().resolve(IndexSnapshot.FILE_NAME)); // as after a crash: the manifest alone tells
        assertRefusedNaming(lastSealed, "is missing");
    }

    @Test
    void aDeletedSegmentBeingAppendedToIsRefused() throws IOException {
        writeSeveralSegments();
        Path last = segment(lastSequence());
        Files.delete(last);
        assertRefusedNaming(last, "is missing", "being appended to");
    }

    @Test
    void aSealedSegmentCutAtARecordBoundaryIsRefused() throws IOException {
        writeSeveralSegments();
        Files.delete(journalDir().resolve(IndexSnapshot.FILE_NAME)); // without a snapshot the records look whole
        Path sealed = segment(2);
        byte[] bytes = Files.readAllBytes(sealed);
        int end = Segment.HEADER_SIZE;
        int lastStart = end;
        while (end + RecordCodec.FRAME_HEADER <= bytes.length && RecordCodec.bodyLength(bytes, end) != 0) {
            lastStart = end;
            end += RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(bytes, end);
        }
        Files.write(sealed, Arrays.copyOf(bytes, lastStart));
        assertRefusedNaming(sealed, "cut short", "up to offset " + end, "up to offset " + lastStart);
    }

    @Test
    void anOldGenerationOfACompactedSegmentPutBackIsRefused() throws IOException {
        writeSeveralSegments();
        Path old = dir.resolve("old-segment-2");
        Files.copy(segment(2), old);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            journal.forget(List.of("e1"));
            assertThat(journal.compact()).isPositive();
        }
        Files.copy(old, segment(2), StandardCopyOption.REPLACE_EXISTING);
        assertRefusedNaming(segment(2), "another generation");
    }

    @Test
    void anUnlistedSegmentAmongListedOnesIsRefused() throws IOException {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            for (int i = 0; i < 80; i++) {
                journal.append(padded(i < 40 ? "gone" : "kept", i));
            }
            journal.forget(List.of("gone"));
            Files.copy(segment(1), dir.resolve("removed-segment-1"));
            journal.compact();
        }
        assertThat(segment(1)).as("removed by compaction").doesNotExist();
        FileJournal.open(journalDir(), SMALL).close();
        Files.copy(dir.resolve("removed-segment-1"), segment(1));
        assertRefusedNaming(segment(1), "not listed");
    }

    @Test
    void aJournalWithoutAManifestOpensAndGainsOne() throws IOException {
        Map<String, List<String>> expected = writeSeveralSegments();
        Path manifest = journalDir().resolve(Manifest.FILE_NAME);
        Files.delete(manifest); // as a journal written before there were manifests
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
        assertThat(manifest).exists();
        Files.delete(segment(2));
        assertRefusedNaming(segment(2), "is missing");
    }

    @Test
    void withoutAManifestTheLastSegmentListedInTheSnapshotIsStillMissed() throws IOException {
        writeSeveralSegments();
        Files.delete(journalDir().resolve(Manifest.FILE_NAME));
        Path last = segment(lastSequence());
        Files.delete(last);
        assertRefusedNaming(last, "is missing", IndexSnapshot.FILE_NAME);
    }

    @Test
    void aDamagedManifestIsRefused() throws IOException {
        writeSeveralSegments();
        Path manifest = journalDir().resolve(Manifest.FILE_NAME);
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[20] ^= 1;
        Files.write(manifest, bytes);
        assertRefusedNaming(manifest, "damaged");
    }

    @Test
    void openingAnIntactJournalWritesNoManifest() throws IOException {
        writeSeveralSegments();
        CrashImages recorder = new CrashImages(journalDir(), dir.resolve("unused"), () -> 0);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(recorder))) {
            assertThat(recorder.moves).isEmpty();
        }
    }

    @Test
    void aCrashAtAnyStepOfASegmentRollLosesNothingAcknowledged() throws IOException {
        int[] acknowledged = {0};
        CrashImages images = new CrashImages(journalDir(), dir.resolve("images"), () -> acknowledged[0]);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(images))) {
            images.recording = true;
            for (int i = 0; i < 50; i++) {
                journal.append(padded("e" + (i % 3), i));
                acknowledged[0]++;
            }
            images.recording = false;
        }
        assertThat(images.moves).contains(Manifest.FILE_NAME, Segment.fileName(3));
        for (CrashImages.Image image : images.taken) {
            assertThat(JournalVerifier.verify(image.dir()).problems())
                    .as("crash before %s", image.step())
                    .isEmpty();
            try (FileJournal journal = FileJournal.open(image.dir(), SMALL)) {
                int records = journal.executionIds().stream()
                        .mapToInt(id -> journal.read(id).size())
                        .sum();
                assertThat(records).as("crash before renaming %s", image.step()).isEqualTo(image.acknowledged());
                journal.append(record("e0", "after", "the crash"));
            }
            FileJournal.open(image.dir(), SMALL).close();
        }
    }

    /**
     * Compaction deletes some segments and rewrites others. A crash before each rename or deletion it makes leaves the
     * files as they are at that point; each such state opens with the same contents, without a refusal.
     */
    @Test
    void aCrashAtAnyStepOfCompactionOpensWithNothingLost() throws IOException {
        CrashImages images = new CrashImages(journalDir(), dir.resolve("images"), () -> 0);
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(images))) {
            for (int i = 0; i < 120; i++) {
                // gone-* alone in the first segments (deleted), mixed with kept-* after them (rewritten)
                String execution = i < 50 || i % 2 == 0 ? "gone-" + (i % 3) : "kept-" + (i % 3);
                journal.append(padded(execution, i));
            }
            journal.forget(List.of("gone-0", "gone-1", "gone-2"));
            expected = contents(journal);
            images.recording = true;
            assertThat(journal.compact()).isPositive();
            images.recording = false;
            assertThat(contents(journal)).isEqualTo(expected);
        }
        assertThat(images.taken)
                .extracting(CrashImages.Image::step)
                .as("the manifest lists a rewritten segment not yet renamed into place")
                .anyMatch(step -> step.matches("renaming segment-\\p{XDigit}{16}\\.log\\.compact\\.tmp to .*"))
                .as("the manifest no longer lists a segment not yet deleted")
                .anyMatch(step -> step.matches("deleting segment-\\p{XDigit}{16}\\.log"));
        images.take("after compaction");

        for (CrashImages.Image image : images.taken) {
            assertThat(JournalVerifier.verify(image.dir()).problems())
                    .as("crash before %s", image.step())
                    .isEmpty();
            DirectoryState crashed = DirectoryState.of(image.dir());
            try (FileJournal journal = FileJournal.openReadOnly(image.dir(), SMALL)) {
                assertThat(contents(journal))
                        .as("read-only, crash before %s", image.step())
                        .isEqualTo(expected);
            }
            assertThat(DirectoryState.of(image.dir()))
                    .as("read-only, crash before %s", image.step())
                    .isEqualTo(crashed);
            try (FileJournal journal = FileJournal.open(image.dir(), SMALL)) {
                assertThat(contents(journal))
                        .as("crash before %s", image.step())
                        .isEqualTo(expected);
                journal.compact();
                journal.append(record("kept-0", "after", "the crash"));
            }
            try (FileJournal journal = FileJournal.open(image.dir(), SMALL)) {
                assertThat(journal.read("kept-0"))
                        .hasSize(expected.get("kept-0").size() + 1);
            }
            try (Stream<Path> files = Files.list(image.dir())) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("after a crash before %s", image.step())
                        .noneMatch(name -> name.endsWith(".tmp"));
            }
        }
    }

    @Test
    void aFailedManifestWriteAtASegmentRollStopsTheJournalAndLosesNothingAcknowledged() {
        FailingManifest disk = new FailingManifest();
        int acknowledged = 0;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(disk))) {
            disk.failing = true;
            JournalException failed = null;
            while (failed == null && acknowledged < 100) {
                try {
                    journal.append(padded("e0", acknowledged));
                    acknowledged++;
                } catch (JournalException e) {
                    failed = e;
                }
            }
            assertThat(failed)
                    .as("the roll to a second segment fails")
                    .isNotNull()
                    .hasCause(disk.failure);
            assertThatThrownBy(() -> journal.append(padded("e0", -1))).hasCause(disk.failure);
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(journal.read("e0")).hasSize(acknowledged);
        }
    }

    @Test
    void aFailedManifestWriteInCompactionStopsTheJournalAndLosesNothing() {
        FailingManifest disk = new FailingManifest();
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(disk))) {
            for (int i = 0; i < 80; i++) {
                journal.append(padded(i % 2 == 0 ? "gone" : "kept", i));
            }
            journal.forget(List.of("gone"));
            expected = contents(journal);
            disk.failing = true;
            assertThatThrownBy(journal::compact)
                    .isInstanceOf(JournalException.class)
                    .hasCause(disk.failure)
                    .hasMessageContaining("open it again");
            assertThatThrownBy(() -> journal.append(padded("kept", -1))).hasCause(disk.failure);
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    /** A manifest file of {@code body} (magic, version, entries...) followed by its valid checksum. */
    private void writeManifest(byte[] body) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(body);
        Files.write(journalDir().resolve(Manifest.FILE_NAME), MetadataFile.withChecksum(out));
    }

    /** The current manifest without its checksum, with {@code change} applied. */
    private byte[] manifestBody(java.util.function.Consumer<byte[]> change) throws IOException {
        byte[] bytes = Files.readAllBytes(journalDir().resolve(Manifest.FILE_NAME));
        byte[] body = Arrays.copyOf(bytes, bytes.length - 4);
        change.accept(body);
        return body;
    }

    private static byte[] emptyManifest(int version, int count, int removed) {
        byte[] body = new byte[20];
        System.arraycopy("DJMANIFS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, body, 0, 8);
        RecordCodec.putInt(body, 8, version);
        RecordCodec.putInt(body, 12, count);
        RecordCodec.putInt(body, 16, removed);
        return body;
    }

    @Test
    void aManifestFromANewerVersionIsRefusedSayingSo() throws IOException {
        writeSeveralSegments();
        writeManifest(manifestBody(b -> RecordCodec.putInt(b, 8, 3)));
        assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal manifest " + journalDir().resolve(Manifest.FILE_NAME)
                        + " has format version 3, but this version of Durable reads versions up to 2: it was written by"
                        + " a newer Durable");
    }

    @Test
    void aManifestOfVersionOneOpensAndIsWrittenAgainAsVersionTwo() throws IOException {
        Map<String, List<String>> written = writeSeveralSegments();
        writeManifest(manifestBody(b -> RecordCodec.putInt(b, 8, 1)));
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            written.forEach((id, payloads) -> assertThat(journal.read(id)).hasSize(payloads.size()));
        }
        byte[] manifest = Files.readAllBytes(journalDir().resolve(Manifest.FILE_NAME));
        assertThat(RecordCodec.getInt(manifest, 8))
                .as("format version after open")
                .isEqualTo(2);
    }

    @Test
    void aManifestOfAVersionNoDurableWroteOrWithABadChecksumIsDamaged() throws IOException {
        writeSeveralSegments();
        Path manifest = journalDir().resolve(Manifest.FILE_NAME);
        writeManifest(manifestBody(b -> RecordCodec.putInt(b, 8, 0)));
        assertRefusedNaming(manifest, "is damaged (it has format version 0, which no Durable wrote)");

        byte[] body = manifestBody(b -> RecordCodec.putInt(b, 8, 0));
        RecordCodec.putInt(body, 8, 2);
        Files.write(manifest, Arrays.copyOf(body, body.length + 4)); // a zero checksum
        assertRefusedNaming(manifest, "is damaged (its checksum does not match)");
    }

    @Test
    void aFileThatIsNotAManifestIsDamaged() throws IOException {
        writeSeveralSegments();
        Path manifest = journalDir().resolve(Manifest.FILE_NAME);
        Files.writeString(manifest, "not a manifest at all, though long enough to be one");
        assertRefusedNaming(manifest, "is damaged (it does not start with the manifest magic)");
        Files.write(manifest, Arrays.copyOf(emptyManifest(1, 0, 0), 23)); // one byte short of the smallest
        assertRefusedNaming(manifest, "is damaged (it does not start with the manifest magic)");
    }

    @Test
    void aManifestListingNothingOpensAsANewJournal() throws IOException {
        Files.createDirectories(journalDir());
        writeManifest(emptyManifest(1, 0, 0));
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            journal.append(padded("e", 1));
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(journal.read("e")).hasSize(1);
        }
    }

    @Test
    void aManifestWhoseCountsDoNotMatchItsLengthIsDamaged() throws IOException {
        writeSeveralSegments();
        Path manifest = journalDir().resolve(Manifest.FILE_NAME);
        writeManifest(emptyManifest(1, -1, 0));
        assertRefusedNaming(manifest, "is damaged (its length does not match its contents)");
        writeManifest(emptyManifest(1, 0, -1));
        assertRefusedNaming(manifest, "is damaged (its length does not match its contents)");
        writeManifest(Arrays.copyOf(emptyManifest(1, 0, 0), 24));
        assertRefusedNaming(manifest, "is damaged (its length does not match its contents)");
        writeManifest(emptyManifest(1, 3, 0));
        assertRefusedNaming(manifest, "is damaged (it ends before its contents do)");
        writeManifest(emptyManifest(1, 0, 2));
        assertRefusedNaming(manifest, "is damaged (it ends before its contents do)");
    }

    @Test
    void aMissingSegmentBetweenUnlistedNewerOnesIsRefused() throws IOException {
        writeSeveralSegments();
        long last = lastSequence();
        Files.copy(segment(last), segment(last + 2)); // as if a later roll's segment survived but not the one before
        Files.copy(segment(last), segment(last + 4));
        var refusal = assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(segment(last + 1) + " is missing: segment files before and after it exist")
                .hasMessageContaining(segment(last + 3) + " is missing: segment files before and after it exist");
        refusal.hasMessageNotContaining(segment(last + 2) + " is missing");
        assertThat(JournalVerifier.verify(journalDir()).problems()).hasSize(2);
    }

    @Test
    void theMissingSegmentsAreDescribedAsTheManifestListsThem() throws IOException {
        writeSeveralSegments();
        Path second = segment(2);
        long size;
        int records;
        byte[] bytes = Files.readAllBytes(second);
        int end = Segment.HEADER_SIZE;
        records = 0;
        while (end + RecordCodec.FRAME_HEADER <= bytes.length && RecordCodec.bodyLength(bytes, end) != 0) {
            end += RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(bytes, end);
            records++;
        }
        size = end;
        Files.delete(second);
        Files.delete(segment(lastSequence()));
        assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .hasMessageContaining(second + " is missing: " + Manifest.FILE_NAME
                        + " lists it as a sealed segment of " + records + " records up to offset " + size)
                .hasMessageContaining(" is missing: " + Manifest.FILE_NAME + " lists it as the segment that was being"
                        + " appended to");
    }

    @Test
    void withoutAManifestOpenRefusesWhileEverySegmentTheSnapshotListsIsGone() throws IOException {
        writeSeveralSegments();
        long last = lastSequence();
        Files.delete(journalDir().resolve(Manifest.FILE_NAME)); // as a journal written before there were manifests
        for (Path segment : segmentFiles(journalDir())) {
            Files.delete(segment);
        }

        assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(segment(1) + " is missing: " + IndexSnapshot.FILE_NAME + " lists it with ")
                .hasMessageContaining(segment(last) + " is missing: " + IndexSnapshot.FILE_NAME + " lists it with ")
                .hasMessageContaining("Restore the journal directory from a backup");
        assertThat(segmentFiles(journalDir()))
                .as("nothing created in their place")
                .isEmpty();
    }

    @Test
    void aManifestThatCannotBeWrittenBeforeCompactionDeletesASegmentStopsTheJournalAndReopeningLosesNothing() {
        FailingManifest disk = new FailingManifest();
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(disk))) {
            for (int i = 0; i < 40; i++) {
                journal.append(padded("old", i));
            }
            journal.append(padded("new", 0));
            journal.forget(List.of("old"));
            disk.failing = true;

            assertThatThrownBy(journal::compact)
                    .isInstanceOf(JournalException.class)
                    .hasCause(disk.failure);
            assertThat(journal.failure())
                    .as("stopped: the old manifest or the new one may be on disk")
                    .containsSame(disk.failure);
            assertThatThrownBy(() -> journal.append(padded("new", 1))).hasCause(disk.failure);
            assertThat(java.util.concurrent.CompletableFuture.runAsync(() -> journal.append(padded("new", 2))))
                    .as("on any thread")
                    .failsWithin(java.time.Duration.ofSeconds(20))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .withCause(disk.failure);
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(journal.executionIds()).containsExactly("new");
            assertThat(journal.read("new")).hasSize(1);
        }
    }

    /** The real disk, except that renaming a new manifest into place fails while {@code failing}. */
    private static final class FailingManifest implements JournalStorage {
        final IOException failure = new IOException("No space left on device");
        volatile boolean failing;

        @Override
        public void move(Path source, Path target) throws IOException {
            if (failing && target.getFileName().toString().equals(Manifest.FILE_NAME)) {
                throw failure;
            }
            JournalStorage.super.move(source, target);
        }
    }

    /**
     * The real disk; while recording, copies the journal directory before each rename and deletion, as a crash there
     * would leave it (everything before it forced).
     */
    private static final class CrashImages implements JournalStorage {
        record Image(Path dir, String step, int acknowledged) {}

        private final Path journal;
        private final Path images;
        private final IntSupplier acknowledged;
        volatile boolean recording;
        final List<Image> taken = new ArrayList<>();
        final List<String> moves = new ArrayList<>();

        CrashImages(Path journal, Path images, IntSupplier acknowledged) {
            this.journal = journal;
            this.images = images;
            this.acknowledged = acknowledged;
        }

        @Override
        public synchronized void move(Path source, Path target) throws IOException {
            moves.add(target.getFileName().toString());
            if (recording) {
                take("renaming " + source.getFileName() + " to " + target.getFileName());
            }
            JournalStorage.super.move(source, target);
        }

        @Override
        public synchronized void delete(Path file) throws IOException {
            if (recording && Files.exists(file)) {
                take("deleting " + file.getFileName());
            }
            JournalStorage.super.delete(file);
        }

        synchronized void take(String step) throws IOException {
            Path copy = Files.createDirectories(images.resolve(Integer.toString(taken.size())));
            try (Stream<Path> files = Files.list(journal)) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                        Files.copy(f, copy.resolve(f.getFileName()));
                    }
                }
            }
            taken.add(new Image(copy, step, acknowledged.getAsInt()));
        }
    }
}
