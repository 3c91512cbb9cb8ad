package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);

    @TempDir
    Path dir;

    private static long journalBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Segment.sequenceOf(p.getFileName().toString()) >= 0)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    static Map<String, List<String>> contents(FileJournal journal) {
        Map<String, List<String>> all = new HashMap<>();
        for (String id : journal.executionIds()) {
            all.put(
                    id,
                    journal.read(id).stream()
                            .map(r -> r.operationId() + "=" + r.payloadText())
                            .toList());
        }
        return all;
    }

    @Test
    void compactionDropsForgottenExecutionsAndKeepsRunningOnesIntact() throws IOException {
        List<String> forgotten = new ArrayList<>();
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 2000; i++) {
                String execution = "e" + (i % 40);
                journal.append(record(execution, Integer.toString(i), "payload " + i));
            }
            for (int e = 0; e < 40; e++) {
                if (e % 4 != 0) {
                    forgotten.add("e" + e);
                }
            }
            journal.forget(forgotten);
            expected = contents(journal);
            long before = journalBytes(dir);

            long reclaimed = journal.compact();

            assertThat(reclaimed).isPositive().isEqualTo(before - journalBytes(dir));
            assertThat(journalBytes(dir)).isLessThan(before / 2);
            assertThat(contents(journal)).isEqualTo(expected);
            assertThat(journal.executionIds())
                    .containsExactly("e0", "e4", "e8", "e12", "e16", "e20", "e24", "e28", "e32", "e36");
            journal.append(record("e0", "after", "compaction"));
        }
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            Map<String, List<String>> reopened = contents(journal);
            assertThat(reopened.keySet()).isEqualTo(expected.keySet());
            assertThat(reopened.get("e4")).isEqualTo(expected.get("e4"));
            assertThat(reopened.get("e0")).endsWith("after=compaction");
            assertThat(journal.compact()).as("nothing left to reclaim").isZero();
        }
    }

    @Test
    void segmentsHoldingOnlyForgottenExecutionsAreDeleted() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 400; i++) {
                journal.append(record("old", Integer.toString(i), "payload " + i));
            }
            journal.append(record("new", "1", "x"));
            journal.forget(List.of("old"));
            int before = new Recovery(dir, JournalStorage.DISK).segmentFiles().size();
            long bytesBefore = journalBytes(dir);
            assertThat(journal.compact())
                    .as("the bytes of the deleted segments")
                    .isEqualTo(bytesBefore - journalBytes(dir));
            assertThat(new Recovery(dir, JournalStorage.DISK).segmentFiles()).hasSizeLessThan(before);
            assertThat(journal.read("new")).hasSize(1);
        }
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.executionIds()).containsExactly("new");
        }
    }

    @Test
    void appendsAndReadsGoOnWhileCompactionRuns() throws Exception {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 3000; i++) {
                journal.append(record("gone" + (i % 10), Integer.toString(i), "payload " + i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                int n = 0;
                while (!stop.get() || n < 200) {
                    journal.append(record("running", Integer.toString(n), "step " + n));
                    n++;
                    List<JournalRecord> sofar = journal.read("running");
                    if (sofar.size() != n) {
                        throw new AssertionError("read " + sofar.size() + " records after appending " + n);
                    }
                }
                return n;
            });
            List<String> gone = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                gone.add("gone" + e);
            }
            journal.forget(gone);
            journal.compact();
            stop.set(true);
            int appended = writer.get();

            List<JournalRecord> running = journal.read("running");
            assertThat(running).hasSize(appended);
            for (int i = 0; i < appended; i++) {
                assertThat(running.get(i).operationId()).isEqualTo(Integer.toString(i));
            }
        }
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.executionIds()).containsExactly("running");
        }
    }

    @Test
    void forgettingMostOfTheJournalCompactsInTheBackground() throws Exception {
        FileJournalOptions automatic = SMALL.automaticCompaction(true);
        try (FileJournal journal = FileJournal.open(dir, automatic)) {
            for (int i = 0; i < 1000; i++) {
                journal.append(record("e" + (i % 5), Integer.toString(i), "payload " + i));
            }
            long before = journalBytes(dir);
            journal.forget(List.of("e0", "e1", "e2", "e3"));
            journal.awaitMaintenance();
            assertThat(journalBytes(dir)).isLessThan(before / 2);
            assertThat(journal.read("e4")).hasSize(200);
        }
    }

    @Test
    void anInterruptedRewriteLeavesATemporaryFileThatOpenRemoves() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            journal.append(record("a", "1", "x"));
        }
        Path leftover = dir.resolve(Segment.fileName(1) + ".compact.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.read("a")).hasSize(1);
        }
        assertThat(leftover).doesNotExist();
    }

    /** The real disk, except that creating a compaction's rewrite or forcing the directory fails while asked to. */
    private static final class FailingCompaction implements JournalStorage {
        final IOException failure = new IOException("Input/output error");
        volatile boolean failRewrite;
        /** Fail the directory force that makes a rewritten segment's rename, or a segment's deletion, durable. */
        volatile boolean failForceAfterSwap;

        private volatile boolean swapped;

        @Override
        public StorageFile open(Path file, boolean create) throws IOException {
            if (failRewrite && file.getFileName().toString().endsWith(".compact.tmp")) {
                throw failure;
            }
            return JournalStorage.super.open(file, create);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            JournalStorage.super.move(source, target);
            swapped = Segment.sequenceOf(target.getFileName().toString()) >= 0;
        }

        @Override
        public void delete(Path file) throws IOException {
            JournalStorage.super.delete(file);
            swapped = Segment.sequenceOf(file.getFileName().toString()) >= 0;
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            if (failForceAfterSwap && swapped) {
                throw failure;
            }
            JournalStorage.super.forceDirectory(dir);
        }
    }

    /** Kept and forgotten executions mixed in every sealed segment, so that compaction rewrites each of them. */
    private static Map<String, List<String>> writeMixed(FileJournal journal) {
        for (int i = 0; i < 600; i++) {
            journal.append(record(i % 2 == 0 ? "gone" : "kept", Integer.toString(i), "payload " + i));
        }
        journal.forget(List.of("gone"));
        return contents(journal);
    }

    @Test
    void aRewriteThatCannotBeCreatedFailsTheCompactionOnlyAndLosesNothing() throws IOException {
        FailingCompaction disk = new FailingCompaction();
        Map<String, List<String>> expected;
        long before;
        try (FileJournal journal = FileJournal.open(dir, SMALL.storage(disk))) {
            expected = writeMixed(journal);
            before = journalBytes(dir);
            disk.failRewrite = true;
            org.assertj.core.api.Assertions.assertThatThrownBy(journal::compact)
                    .isInstanceOf(dev.durable.JournalException.class)
                    .hasCause(disk.failure)
                    .hasMessage("compaction of the journal in "
                            + dir.toAbsolutePath().normalize() + " failed: "
                            + disk.failure
                            + "; the segment it was rewriting is unchanged and nothing is lost. It is tried"
                            + " again after the next forget, or call compact() again");
            assertThat(journalBytes(dir)).isEqualTo(before);
            journal.append(record("kept", "after", "the failed compaction"));
            disk.failRewrite = false;
            assertThat(journal.compact()).isPositive();
            assertThat(journal.read("kept")).hasSize(expected.get("kept").size() + 1);
        }
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(journal.executionIds()).containsExactly("kept");
            assertThat(journal.read("kept")).hasSize(expected.get("kept").size() + 1);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void aFailedDirectoryForceAfterASegmentIsSwappedStopsTheJournalAndReopeningLosesNothing() {
        FailingCompaction disk = new FailingCompaction();
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(dir, SMALL.storage(disk))) {
            expected = writeMixed(journal);
            disk.failForceAfterSwap = true;
            org.assertj.core.api.Assertions.assertThatThrownBy(journal::compact)
                    .isInstanceOf(dev.durable.JournalException.class)
                    .hasCause(disk.failure)
                    .hasMessageContaining("could not make records durable");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.append(record("kept", "x", "refused")))
                    .hasCause(disk.failure);
            org.assertj.core.api.Assertions.assertThatThrownBy(journal::compact).hasCause(disk.failure);
        }
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    @Test
    void compactingWithNothingForgottenReclaimsNothingAndChangesNoFile() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 600; i++) {
                journal.append(record("kept", Integer.toString(i), "payload " + i));
            }
            DirectoryState before = DirectoryState.of(dir);
            assertThat(journal.compact()).isZero();
            assertThat(DirectoryState.of(dir)).isEqualTo(before);
        }
    }

    @Test
    void compactionKeepsRecordsLargerThanItsBufferAndMoreLiveBytesThanTheBufferHolds() throws IOException {
        FileJournalOptions large =
                FileJournalOptions.defaults().segmentSize(4 << 20).automaticCompaction(false);
        String huge = "h".repeat(1536 << 10); // a record larger than the megabyte compaction copies through
        Map<String, List<String>> expected;
        try (FileJournal journal = FileJournal.open(dir, large)) {
            journal.append(record("kept", "huge", huge));
            for (int i = 0; i < 600; i++) { // more than a megabyte of them kept in the first segment
                journal.append(record(i % 4 == 0 ? "gone" : "kept", Integer.toString(i), i + "x".repeat(5000)));
            }
            assertThat(new Recovery(dir, JournalStorage.DISK).segmentFiles()).hasSizeGreaterThan(1);
            journal.forget(List.of("gone"));
            expected = contents(journal);

            assertThat(journal.compact()).isPositive();
            assertThat(contents(journal)).isEqualTo(expected);
        }
        try (FileJournal journal = FileJournal.open(dir, large)) {
            assertThat(contents(journal)).isEqualTo(expected);
            assertThat(journal.read("kept").get(0).payloadText()).isEqualTo(huge);
        }
    }

    private static final FileJournalOptions AUTOMATIC =
            FileJournalOptions.defaults().segmentSize(4096);
    /** Four records fill a segment. */
    private static final String FOURTH = "p".repeat(900);

    private long segmentSize(long sequence) throws IOException {
        Path file = dir.resolve(Segment.fileName(sequence));
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Test
    void automaticCompactionWaitsUntilForgottenRecordsMakeUpHalfOfTheSealedSegments() throws Exception {
        try (FileJournal journal = FileJournal.open(dir, AUTOMATIC)) {
            for (String execution : List.of("a", "x", "x", "x", "b", "b", "b", "x", "c", "c", "c")) {
                journal.append(record(execution, Integer.toString(journal.count(execution)), FOURTH));
            }
            assertThat(new Recovery(dir, JournalStorage.DISK).segmentFiles().keySet())
                    .containsExactly(1L, 2L, 3L);
            long first = segmentSize(1);
            long second = segmentSize(2);

            journal.forget(List.of("a", "c")); // one of the 8 sealed records, and the segment being appended to
            journal.awaitMaintenance();
            assertThat(segmentSize(1)).as("not compacted yet").isEqualTo(first);
            assertThat(segmentSize(2)).isEqualTo(second);

            journal.forget(List.of("b")); // now 4 of the 8
            journal.awaitMaintenance();
            assertThat(segmentSize(1)).as("compacted").isLessThan(first);
            assertThat(segmentSize(2)).isLessThan(second);
            assertThat(journal.executionIds()).containsExactly("x");
            assertThat(journal.read("x")).hasSize(4);
        }
    }

    @Test
    void automaticCompactionRunsAgainEachTimeForgottenRecordsPileUp() throws Exception {
        try (FileJournal journal = FileJournal.open(dir, AUTOMATIC)) {
            for (int round = 0; round < 3; round++) {
                String execution = "round-" + round;
                for (int i = 0; i < 8; i++) {
                    journal.append(record(execution, Integer.toString(i), FOURTH));
                }
                journal.append(record("running", Integer.toString(round), "x"));
                long before = journalBytes(dir);
                journal.forget(List.of(execution));
                journal.awaitMaintenance();
                assertThat(journalBytes(dir)).as("round %d", round).isLessThan(before);
            }
            assertThat(journal.executionIds()).containsExactly("running");
        }
    }

    @Test
    void aCompactionThatCannotWriteLeavesNoTemporaryFileAndCanBeDoneAgain() throws IOException {
        FaultyStorage disk = new FaultyStorage();
        try (FileJournal journal = FileJournal.open(dir, SMALL.storage(disk))) {
            for (int i = 0; i < 200; i++) {
                journal.append(record(i % 4 == 0 ? "kept" : "gone", Integer.toString(i), "payload " + i));
            }
            journal.forget(List.of("gone"));
            Map<String, List<String>> expected = contents(journal);
            disk.failNextWrite(new IOException("No space left on device"));

            assertThatThrownBy(journal::compact)
                    .isInstanceOf(dev.durable.JournalException.class)
                    .hasMessageContaining("nothing is lost");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
            assertThat(journal.failure()).isEmpty();
            assertThat(journal.compact()).isPositive();
            assertThat(contents(journal)).isEqualTo(expected);
        }
    }

    @Test
    void segmentsThatCompactionDeletedNoLongerCountTowardsTheNextAutomaticCompaction() throws Exception {
        try (FileJournal journal = FileJournal.open(dir, AUTOMATIC)) {
            for (int i = 0; i < 8; i++) {
                journal.append(record("old", Integer.toString(i), FOURTH));
            }
            journal.append(record("x", "0", FOURTH));
            journal.forget(List.of("old"));
            journal.awaitMaintenance();
            assertThat(segmentSize(1)).as("deleted").isZero();
            assertThat(segmentSize(2)).as("deleted").isZero();

            for (String execution : List.of("a", "x", "x", "x", "x", "x", "x", "x", "c")) {
                journal.append(record(execution, Integer.toString(journal.count(execution)), FOURTH));
            }
            long third = segmentSize(3);
            journal.forget(List.of("a")); // one record of the 8 in the sealed segments there are now
            journal.awaitMaintenance();
            assertThat(segmentSize(3)).as("not compacted").isEqualTo(third);
        }
    }
}
