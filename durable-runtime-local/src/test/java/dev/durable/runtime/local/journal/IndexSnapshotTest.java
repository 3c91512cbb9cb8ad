package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSnapshotTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);

    @TempDir
    Path dir;

    private Path journalDir() {
        return dir.resolve("journal");
    }

    /** What a crash leaves: the files as they are while the journal is open (every append was forced). */
    private Path copyOfOpenJournal(String name) throws IOException {
        Path copy = Files.createDirectory(dir.resolve(name));
        try (Stream<Path> files = Files.list(journalDir())) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    private static Map<String, List<String>> contents(FileJournal journal) {
        Map<String, List<String>> all = new HashMap<>();
        for (String id : journal.executionIds()) {
            all.put(
                    id,
                    journal.read(id).stream().map(JournalRecord::payloadText).toList());
        }
        return all;
    }

    private static void append(FileJournal journal, int from, int to) {
        for (int i = from; i < to; i++) {
            journal.append(record("e" + (i % 7), Integer.toString(i), "payload " + i));
        }
    }

    @Test
    void closeSavesASnapshotAndOpenReadsOnlyWhatCameAfterIt() throws IOException {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, 300);
        }
        assertThat(journalDir().resolve(IndexSnapshot.FILE_NAME)).exists();
        Map<String, List<String>> expected;
        Path crashed;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 300, 320);
            journal.forget(List.of("e3"));
            journal.append(record("e3", "new", "a new e3"));
            expected = contents(journal);
            crashed = copyOfOpenJournal("crashed");
        }
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
            assertThat(journal.executionIds())
                    .containsExactlyElementsOf(List.of("e0", "e1", "e2", "e4", "e5", "e6", "e3"));
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    @Test
    void recordsCoveredByTheSnapshotAreStillCheckedAtOpen() throws IOException {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, 20);
        }
        Path first = journalDir().resolve(Segment.fileName(1));
        byte[] bytes = Files.readAllBytes(first);
        bytes[Segment.HEADER_SIZE + 20] ^= 0x01; // inside the first record
        Files.write(first, bytes);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileJournal.open(journalDir(), SMALL))
                .isInstanceOf(dev.durable.JournalException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("offset " + Segment.HEADER_SIZE + ":");
    }

    @Test
    void aDamagedSnapshotIsIgnoredAndTheSegmentsAreReadInFull() throws IOException {
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, 200);
            expected = contents(journal);
        }
        Path snapshot = journalDir().resolve(IndexSnapshot.FILE_NAME);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    @Test
    void aSnapshotFromBeforeACompactionIsNotTrusted() throws IOException {
        Map<String, List<String>> expected;
        Path stale = dir.resolve("stale.snapshot");
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, 300);
        }
        Files.copy(journalDir().resolve(IndexSnapshot.FILE_NAME), stale);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            journal.forget(List.of("e0", "e1", "e2"));
            assertThat(journal.compact()).isPositive();
            expected = contents(journal);
        }
        Files.copy(stale, journalDir().resolve(IndexSnapshot.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    @Test
    void aTornTailAfterTheSnapshotIsStillRepaired() throws IOException {
        Path crashed;
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, 50);
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 50, 60);
            expected = contents(journal);
            journal.append(record("e0", "torn", "this one is torn"));
            crashed = copyOfOpenJournal("crashed");
        }
        Path last = new Recovery(crashed, JournalStorage.DISK)
                .segmentFiles()
                .lastEntry()
                .getValue();
        byte[] bytes = Files.readAllBytes(last);
        int end = bytes.length;
        while (bytes[end - 1] == 0) {
            end--; // preallocated zeros
        }
        java.util.Arrays.fill(bytes, end - 5, end, (byte) 0);
        Files.write(last, bytes);
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    /**
     * Only the snapshot knows how far the segment being appended to was acknowledged: with many executions, long
     * and non-ASCII ids and positions far apart it must still be read back exactly, to restore the index and to
     * notice that the segment was cut short at a record boundary.
     */
    @Test
    void aLargeSnapshotRestoresEveryExecutionAndStillCatchesTheActiveSegmentCutShort() throws IOException {
        FileJournalOptions large = SMALL.segmentSize(64 << 10);
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(journalDir(), large)) {
            for (int i = 0; i < 1500; i++) {
                String execution = (i % 3 == 0 ? "commande-été-✓-" : "order-" + "x".repeat(150) + "-") + (i % 211);
                journal.append(record(execution, Integer.toString(i), "payload " + i + " " + "z".repeat(i % 300)));
            }
            journal.forget(List.of("order-" + "x".repeat(150) + "-1", "commande-été-✓-3"));
            expected = contents(journal);
        }
        long segments =
                new Recovery(journalDir(), JournalStorage.DISK).segmentFiles().size();
        assertThat(segments).isGreaterThan(4);
        try (FileJournal journal = FileJournal.open(journalDir(), large)) {
            assertThat(contents(journal)).isEqualTo(expected);
            journal.append(record("last", "1", "acknowledged, covered by the snapshot close writes"));
        }
        Path active = new Recovery(journalDir(), JournalStorage.DISK)
                .segmentFiles()
                .lastEntry()
                .getValue();
        byte[] bytes = Files.readAllBytes(active);
        int end = Segment.HEADER_SIZE;
        int lastStart = end;
        while (end + RecordCodec.FRAME_HEADER <= bytes.length && RecordCodec.bodyLength(bytes, end) != 0) {
            lastStart = end;
            end += RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(bytes, end);
        }
        Files.write(active, java.util.Arrays.copyOf(bytes, lastStart)); // exactly before the last record

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileJournal.open(journalDir(), large))
                .isInstanceOf(dev.durable.JournalException.class)
                .hasMessageContaining("the journal file " + active + " is " + lastStart + " bytes long, but the index"
                        + " snapshot shows acknowledged records up to offset " + end);
    }

    @Test
    void aJournalThatSealsManySegmentsSavesItsIndexWhileOpenSoThatACrashNeedNotReadThemAll() throws Exception {
        FileJournalOptions large =
                FileJournalOptions.defaults().segmentSize(8 << 20).automaticCompaction(false);
        String megabyte = "m".repeat(1 << 20);
        try (FileJournal journal = FileJournal.open(journalDir(), large)) {
            int appended = 0;
            while (new Recovery(journalDir(), JournalStorage.DISK)
                            .segmentFiles()
                            .size()
                    < 11) { // over 64 MiB sealed
                journal.append(record("big", Integer.toString(appended++), megabyte));
            }
            journal.awaitMaintenance();
            assertThat(journalDir().resolve(IndexSnapshot.FILE_NAME))
                    .as("saved in the background, not only at close")
                    .exists();
            Path crashed = copyOfOpenJournal("crashed");
            try (FileJournal reopened = FileJournal.open(crashed, large)) {
                assertThat(reopened.count("big")).isEqualTo(appended);
            }
        }
    }
}
