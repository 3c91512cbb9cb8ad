package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next segment is made in the background once the active one is three quarters full, so that the commit group
 * that fills a segment does not pay for making the next one; a crash leaves the prepared file outside the journal.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SegmentRollTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);
    /** 16 records of this size fill a 4096-byte segment exactly (32 header bytes, then 4064 bytes of records). */
    private static final int RECORD_BYTES = 254;
    /** Enough to fill a segment three quarters (32 + 12 x 254 = 3080 of 4096 bytes), not to roll. */
    private static final int THREE_QUARTERS = 12;

    private static final int FULL = 16;

    @TempDir
    Path dir;

    private final FaultyStorage disk = new FaultyStorage();

    private static JournalRecord padded(int i) {
        return padded("e", i);
    }

    private static JournalRecord padded(String execution, int i) {
        return record(
                execution,
                String.format("%02d", i),
                "p".repeat(RECORD_BYTES - RecordCodec.MIN_FRAME - execution.length() - 2));
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private static void append(FileJournal journal, int from, int to) {
        for (int i = from; i < to; i++) {
            journal.append(padded(i));
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> operations(FileJournal journal) {
        return journal.read("e").stream().map(JournalRecord::operationId).toList();
    }

    private static List<String> operations(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> String.format("%02d", i))
                .toList();
    }

    /** The files as they are while the journal is open, as a crash (every append was forced) would leave them. */
    private Path crashImage(String name) throws IOException {
        Path copy = Files.createDirectory(dir.resolve(name));
        for (String file : names(journalDir())) {
            if (!file.equals(DirectoryLock.FILE_NAME)) {
                Files.copy(journalDir().resolve(file), copy.resolve(file));
            }
        }
        return copy;
    }

    /** A crash image of a journal whose active segment is three quarters full and whose next one is made. */
    private Path crashWithTheNextSegmentPrepared() throws Exception {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, THREE_QUARTERS);
            journal.awaitMaintenance();
            return crashImage("crashed");
        }
    }

    @Test
    void theCommitThatFillsASegmentOnlyRenamesTheNextOneMadeAheadOfTime() throws Exception {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(disk))) {
            assertThat(RecordCodec.encode(padded(0))).hasSize(RECORD_BYTES);
            append(journal, 0, THREE_QUARTERS);
            journal.awaitMaintenance();
            append(journal, THREE_QUARTERS, FULL);
            int forces = disk.forces();
            int writes = disk.writes();

            journal.append(padded(FULL)); // does not fit: rolls to segment 2

            assertThat(disk.forces() - forces)
                    .as("only the force of the record itself")
                    .isEqualTo(1);
            assertThat(disk.writes() - writes)
                    .as("only the record itself: no header, no zeros")
                    .isEqualTo(1);
            assertThat(names(journalDir()))
                    .contains(Segment.fileName(1), Segment.fileName(2))
                    .doesNotContain(Segment.fileName(3));
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
    }

    @Test
    void everyRollFindsItsSegmentReadyAndReadsGoAcrossThem() throws Exception {
        int segments = 5;
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(disk))) {
            for (int s = 0; s < segments; s++) {
                append(journal, s * FULL, s * FULL + THREE_QUARTERS);
                journal.awaitMaintenance();
                append(journal, s * FULL + THREE_QUARTERS, (s + 1) * FULL);
            }
            int forces = disk.forces();
            journal.append(padded(segments * FULL));
            assertThat(disk.forces() - forces).isEqualTo(1);
            assertThat(operations(journal)).isEqualTo(operations(segments * FULL + 1));
        }
        assertThat(names(journalDir()))
                .as("no prepared segment is left behind by close")
                .noneMatch(name -> name.endsWith(".tmp"))
                .filteredOn(name -> Segment.sequenceOf(name) >= 0)
                .hasSize(segments + 1);
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(segments * FULL + 1));
        }
    }

    @Test
    void closingDeletesAPreparedSegmentThatNoRollTook() throws Exception {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, THREE_QUARTERS);
            journal.awaitMaintenance();
            assertThat(names(journalDir())).contains(Segment.preparedFileName(2));
        }
        assertThat(names(journalDir())).noneMatch(name -> name.endsWith(".tmp"));
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, THREE_QUARTERS, FULL + 1);
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
    }

    @Test
    void aRollWhoseNextSegmentCouldNotBeMadeAheadMakesItItselfAndLosesNothing() throws Exception {
        IOException failure = new IOException("No space left on device");
        AtomicInteger attempts = new AtomicInteger();
        JournalStorage failingOnce = new JournalStorage() {
            @Override
            public StorageFile open(Path file, boolean create) throws IOException {
                if (create
                        && file.getFileName().toString().equals(Segment.preparedFileName(2))
                        && attempts.getAndIncrement() == 0) {
                    throw failure;
                }
                return disk.open(file, create);
            }
        };
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(failingOnce))) {
            append(journal, 0, THREE_QUARTERS);
            journal.awaitMaintenance();
            assertThat(attempts).as("tried ahead of time").hasValue(1);
            append(journal, THREE_QUARTERS, FULL + 1);

            assertThat(attempts).as("made by the roll").hasValue(2);
            assertThat(journal.failure())
                    .as("a failure ahead of time does not stop the journal")
                    .isEmpty();
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
    }

    @Test
    void aRollWaitsForTheSegmentBeingMadeRatherThanMakingItTwice() throws Exception {
        CountDownLatch preparing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        JournalStorage slow = new JournalStorage() {
            @Override
            public StorageFile open(Path file, boolean create) throws IOException {
                if (create
                        && file.getFileName().toString().equals(Segment.preparedFileName(2))
                        && made.getAndIncrement() == 0) {
                    preparing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return disk.open(file, create);
            }
        };
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL.storage(slow))) {
            append(journal, 0, FULL);
            preparing.await();
            AtomicReference<Thread> roller = new AtomicReference<>();
            CompletableFuture<Void> roll = CompletableFuture.runAsync(() -> {
                roller.set(Thread.currentThread());
                journal.append(padded(FULL));
            });
            while (roller.get() == null || roller.get().getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // the roll waits for the segment being made
            }
            assertThat(roll).isNotDone();
            release.countDown();
            roll.get();

            assertThat(made).as("segment 2 was made once").hasValue(1);
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
    }

    @Test
    void aRollDoesNotWaitForTheMaintenanceThreadWhileItCompacts() throws Exception {
        CountDownLatch compacting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JournalStorage slowCompaction = new JournalStorage() {
            @Override
            public StorageFile open(Path file, boolean create) throws IOException {
                if (file.getFileName().toString().endsWith(".compact.tmp")) {
                    compacting.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return JournalStorage.super.open(file, create);
            }
        };
        FileJournalOptions automatic = SMALL.automaticCompaction(true).storage(slowCompaction);
        try (FileJournal journal = FileJournal.open(journalDir(), automatic)) {
            for (int i = 0; i < FULL; i++) {
                journal.append(padded(i % 2 == 0 ? "gone" : "kept", i));
            }
            append(journal, 0, 1); // rolls to segment 2
            journal.forget(List.of("gone")); // half of segment 1: compacted in the background
            compacting.await();

            int appended = 1;
            while (!Files.exists(journalDir().resolve(Segment.fileName(3)))) {
                journal.append(padded(appended++)); // past three quarters of segment 2, then a roll to segment 3
            }
            assertThat(compacting.getCount()).isZero();
            assertThat(release.getCount())
                    .as("segment 3 was made while compaction held the maintenance thread")
                    .isOne();
            release.countDown();
            journal.awaitMaintenance();
            assertThat(operations(journal)).isEqualTo(operations(appended));
            assertThat(journal.read("kept")).hasSize(FULL / 2);
            assertThat(journal.executionIds()).doesNotContain("gone");
        }
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            assertThat(journal.read("kept")).hasSize(FULL / 2);
        }
    }

    @Test
    void aCrashLeavingAPreparedSegmentBehindReopensWithEverythingAcknowledged() throws Exception {
        Path crashed = crashWithTheNextSegmentPrepared();
        assertThat(names(crashed))
                .as("the prepared segment is in the crash image")
                .contains(Segment.preparedFileName(2));

        JournalVerifier.Report report = JournalVerifier.verify(crashed);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.segments())
                .singleElement()
                .satisfies(s -> assertThat(s.records()).isEqualTo(THREE_QUARTERS));
        DirectoryState before = DirectoryState.of(crashed);
        try (FileJournal journal = FileJournal.openReadOnly(crashed, SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(THREE_QUARTERS));
        }
        assertThat(DirectoryState.of(crashed))
                .as("read-only leaves it in place")
                .isEqualTo(before);

        // marked, to tell it from the one the reopened journal, three quarters full, may prepare again at once
        Path stale = crashed.resolve(Segment.preparedFileName(2));
        byte[] marker = "STALE-PREPARED-SEGMENT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(stale, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(marker), 1024);
        }
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            if (java.nio.file.Files.exists(stale)) {
                assertThat(new String(
                                java.nio.file.Files.readAllBytes(stale), java.nio.charset.StandardCharsets.US_ASCII))
                        .as("open deletes it (a prepared segment there now is a new one)")
                        .doesNotContain("STALE-PREPARED-SEGMENT");
            }
            assertThat(operations(journal)).isEqualTo(operations(THREE_QUARTERS));
            append(journal, THREE_QUARTERS, 3 * FULL);
        }
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(3 * FULL));
        }
        assertThat(JournalVerifier.verify(crashed).problems()).isEmpty();
    }

    @Test
    void aTornWriteBesideAPreparedSegmentIsStillATornTailOfTheLastSegment() throws Exception {
        Path crashed = crashWithTheNextSegmentPrepared();
        Path active = crashed.resolve(Segment.fileName(1));
        byte[] torn = RecordCodec.encode(padded(THREE_QUARTERS));
        RecordCodec.putInt(torn, 4, 12345); // a write the crash cut short: its checksum does not match
        try (var file = java.nio.channels.FileChannel.open(active, StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap(torn, 0, 100), Segment.HEADER_SIZE + THREE_QUARTERS * RECORD_BYTES);
        }

        JournalVerifier.Report report = JournalVerifier.verify(crashed);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.segments())
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(JournalVerifier.Status.TORN_TAIL));
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(THREE_QUARTERS));
            append(journal, THREE_QUARTERS, FULL + 1);
        }
        try (FileJournal journal = FileJournal.open(crashed, SMALL)) {
            assertThat(operations(journal)).isEqualTo(operations(FULL + 1));
        }
        assertThat(names(crashed)).anyMatch(name -> name.startsWith(Segment.fileName(1) + ".torn-"));
    }

    @Test
    void theNextSegmentIsMadeAheadOnceTheActiveOneIsThreeQuartersFullAndNotBefore() throws Exception {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, THREE_QUARTERS - 1); // 32 + 11 x 254 = 2826 bytes, short of three quarters (3072)
            journal.awaitMaintenance();
            assertThat(names(journalDir())).doesNotContain(Segment.preparedFileName(2));

            int toThreeQuarters = 3072 - (32 + (THREE_QUARTERS - 1) * RECORD_BYTES);
            journal.append(record("e", "11", "p".repeat(toThreeQuarters - RecordCodec.MIN_FRAME - 3)));
            journal.awaitMaintenance();
            assertThat(names(journalDir())).contains(Segment.preparedFileName(2));
        }
    }

    @Test
    void aJournalReopenedThreeQuartersFullMakesItsNextSegmentAheadBeforeTheNextAppend() throws Exception {
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            append(journal, 0, THREE_QUARTERS);
        }
        assertThat(names(journalDir())).doesNotContain(Segment.preparedFileName(2)); // close deletes it
        try (FileJournal journal = FileJournal.open(journalDir(), SMALL)) {
            journal.awaitMaintenance();
            assertThat(names(journalDir())).contains(Segment.preparedFileName(2));
        }
    }
}
