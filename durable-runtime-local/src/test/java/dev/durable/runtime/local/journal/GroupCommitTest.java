package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    @TempDir
    Path dir;

    private final FaultyStorage disk = new FaultyStorage();

    private static void awaitQueued(FileJournal journal, int writers) {
        while (journal.queuedWriters() < writers) {
            Thread.onSpinWait();
        }
    }

    @Test
    void appendsThatArriveDuringAForceAreAllCommittedByTheNextOne() throws Exception {
        int followers = 15;
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(disk))) {
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(release);
            int forcesBefore = disk.forces();
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(followers + 1);
            CompletableFuture<Void> first =
                    CompletableFuture.runAsync(() -> journal.append(record("first", "1", "x")), pool);
            awaitQueued(journal, 1);
            List<CompletableFuture<Void>> rest = new ArrayList<>();
            for (int i = 0; i < followers; i++) {
                String execution = "e" + i;
                rest.add(CompletableFuture.runAsync(() -> journal.append(record(execution, "1", "y")), pool));
            }
            awaitQueued(journal, 1 + followers);
            assertThat(first).isNotDone(); // not acknowledged before its force returns
            release.countDown();
            first.get();
            for (CompletableFuture<Void> f : rest) {
                f.get();
            }
            assertThat(disk.forces() - forcesBefore)
                    .as("one force for the first, one for all the others")
                    .isEqualTo(2);
            assertThat(journal.executionIds()).hasSize(1 + followers);
            pool.shutdown();
        }
    }

    @Test
    void batchedModeWaitsItsWindowSoThatLaterAppendsShareTheForce() throws Exception {
        FileJournalOptions batched = FileJournalOptions.defaults()
                .storage(disk)
                .durability(Durability.BATCHED)
                .batchWindow(Duration.ofMillis(300));
        try (FileJournal journal = FileJournal.open(dir, batched)) {
            int forcesBefore = disk.forces();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            CompletableFuture<Void> first =
                    CompletableFuture.runAsync(() -> journal.append(record("a", "1", "x")), pool);
            awaitQueued(journal, 1);
            CompletableFuture<Void> second =
                    CompletableFuture.runAsync(() -> journal.append(record("b", "1", "y")), pool);
            first.get();
            second.get();
            assertThat(disk.forces() - forcesBefore).isEqualTo(1);
            pool.shutdown();
        }
    }

    /** Holds the next force until {@code release} opens. */
    private void holdNextForce(CountDownLatch release) {
        holdNextForce(new CountDownLatch(1), release);
    }

    /** Holds the next force until {@code release} opens, opening {@code forcing} once the force is reached. */
    private void holdNextForce(CountDownLatch forcing, CountDownLatch release) {
        disk.beforeNextForce(() -> {
            forcing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static final String MEBIBYTE = "x".repeat(1 << 20);

    @Test
    void aGroupCarriesAtMostFourMebibytesAndWhatIsLeftGoesInTheNext() throws Exception {
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(disk))) {
            List<long[]> commits = queueBehindAHeldForce(journal, 7, MEBIBYTE);
            // seven records of a little over 1 MiB: three fit under 4 MiB, so three groups after the first record's
            assertThat(commits).extracting(c -> c[0]).containsExactly(1L, 3L, 3L, 1L);
            assertThat(commits).allSatisfy(c -> assertThat(c[1]).isLessThanOrEqualTo(GroupCommit.MAX_GROUP_BYTES));
            for (int i = 0; i < 7; i++) {
                assertThat(journal.read("big" + i))
                        .singleElement()
                        .satisfies(r -> assertThat(r.payloadText()).isEqualTo(MEBIBYTE));
            }
        }
    }

    @Test
    void inBatchedModeAppendsAfterAFullGroupStillWaitTheWindowToShareAForce() throws Exception {
        FileJournalOptions batched = FileJournalOptions.defaults()
                .storage(disk)
                .durability(Durability.BATCHED)
                .batchWindow(Duration.ofMillis(300));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try (FileJournal journal = FileJournal.open(dir, batched)) {
            List<CompletableFuture<Void>> big = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String execution = "big" + i;
                big.add(CompletableFuture.runAsync(() -> journal.append(record(execution, "1", MEBIBYTE)), pool));
            }
            for (CompletableFuture<Void> f : big) {
                f.get(); // over 4 MiB queued: full groups, committed without waiting out the window
            }
            // what was committed no longer counts as queued: the next leader waits its window again, for company
            int forcesBefore = disk.forces();
            CompletableFuture<Void> first =
                    CompletableFuture.runAsync(() -> journal.append(record("a", "1", "x")), pool);
            awaitQueued(journal, 1);
            CompletableFuture<Void> second =
                    CompletableFuture.runAsync(() -> journal.append(record("b", "1", "y")), pool);
            first.get();
            second.get();
            assertThat(disk.forces() - forcesBefore).isEqualTo(1);
            assertThat(journal.executionIds()).hasSize(7);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aForceThatFailsFailsItsGroupAndEveryAppendQueuedBehindItAndTheJournalStaysStopped() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(disk))) {
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(release);
            disk.failNextForce(new java.io.IOException("the disk went away"));
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            appends.add(CompletableFuture.runAsync(() -> journal.append(record("first", "1", "x")), pool));
            awaitQueued(journal, 1);
            for (int i = 0; i < 3; i++) {
                String execution = "behind" + i;
                appends.add(CompletableFuture.runAsync(() -> journal.append(record(execution, "1", "y")), pool));
            }
            awaitQueued(journal, 4);
            release.countDown();
            for (CompletableFuture<Void> f : appends) {
                assertThat(f)
                        .failsWithin(Duration.ofSeconds(20))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .havingCause()
                        .isInstanceOf(dev.durable.JournalException.class)
                        .withMessageContaining("the disk went away");
            }
            assertThat(journal.queuedWriters()).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.append(record("later", "1", "z")))
                    .isInstanceOf(dev.durable.JournalException.class);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anInterruptedThreadAppendingInBatchedModeStillCommitsAndKeepsItsInterrupt() {
        FileJournalOptions batched = FileJournalOptions.defaults()
                .storage(disk)
                .durability(Durability.BATCHED)
                .batchWindow(Duration.ofMillis(300));
        try (FileJournal journal = FileJournal.open(dir, batched)) {
            Thread.currentThread().interrupt(); // it cannot wait out the window, so it commits at once
            try {
                journal.append(record("a", "1", "x"));
                assertThat(Thread.currentThread().isInterrupted())
                        .as("the interrupt is kept for the caller")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(journal.read("a")).hasSize(1);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).hasSize(1);
        }
    }

    @Test
    void aWriterInterruptedWhileItsRecordWaitsForTheForceIsAcknowledgedOnlyOnceDurableAndKeepsItsInterrupt()
            throws Exception {
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(disk))) {
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(forcing, release);
            Thread leader = new Thread(() -> journal.append(record("leader", "1", "x")));
            leader.start();
            assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> keptInterrupt = new CompletableFuture<>();
            Thread waiting = new Thread(() -> {
                try {
                    journal.append(record("waiting", "1", "y"));
                    keptInterrupt.complete(Thread.currentThread().isInterrupted());
                } catch (Throwable t) {
                    keptInterrupt.completeExceptionally(t);
                }
            });
            waiting.start();
            awaitQueued(journal, 2);
            waiting.interrupt();
            assertThat(keptInterrupt).as("not acknowledged before its force").isNotDone();
            release.countDown();
            assertThat(keptInterrupt.get(10, TimeUnit.SECONDS))
                    .as("the interrupt is kept for the caller")
                    .isTrue();
            leader.join();
            assertThat(journal.read("waiting")).hasSize(1);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("waiting")).hasSize(1);
        }
    }

    @Test
    void aGroupOfExactlyFourMebibytesIsCommittedAsOne() throws Exception {
        // four records of exactly a mebibyte each, as encoded
        String payload = "x".repeat((1 << 20) - RecordCodec.MIN_FRAME - "bigN".length() - "1".length());
        for (int i = 0; i < 4; i++) {
            assertThat(RecordCodec.encode(record("big" + i, "1", payload))).hasSize(1 << 20);
        }
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().storage(disk))) {
            List<long[]> commits = queueBehindAHeldForce(journal, 4, payload);
            assertThat(commits).extracting(c -> c[0]).containsExactly(1L, 4L);
            assertThat(commits.get(1)[1]).isEqualTo(GroupCommit.MAX_GROUP_BYTES);
        }
    }

    /**
     * Holds the force of one small record while {@code count} records of {@code payload}, of executions {@code big0},
     * {@code big1}..., queue behind it, then lets it go; returns each group committed as {records, bytes}.
     */
    private List<long[]> queueBehindAHeldForce(FileJournal journal, int count, String payload) throws Exception {
        List<long[]> commits = java.util.Collections.synchronizedList(new ArrayList<>());
        journal.observeCommits((records, bytes, nanos) -> commits.add(new long[] {records, bytes}));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(count + 1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(release);
            CompletableFuture<Void> first =
                    CompletableFuture.runAsync(() -> journal.append(record("first", "1", "x")), pool);
            awaitQueued(journal, 1);
            List<CompletableFuture<Void>> big = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String execution = "big" + i;
                big.add(CompletableFuture.runAsync(() -> journal.append(record(execution, "1", payload)), pool));
            }
            awaitQueued(journal, 1 + count);
            release.countDown();
            first.get();
            for (CompletableFuture<Void> f : big) {
                f.get();
            }
            return commits;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anAppendQueuedWhenCompactionStopsTheJournalFailsInsteadOfBeingAcknowledged() throws Exception {
        FileJournalOptions small =
                FileJournalOptions.defaults().storage(disk).segmentSize(4096).automaticCompaction(false);
        java.io.IOException directoryForceFailed = new java.io.IOException("Input/output error");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 40; i++) {
                journal.append(record("old", Integer.toString(i), "payload " + i + " " + "x".repeat(200)));
            }
            journal.forget(List.of("old"));
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(forcing, release);
            CompletableFuture<Void> inFlight =
                    CompletableFuture.runAsync(() -> journal.append(record("kept", "1", "x")), pool);
            forcing.await();
            CompletableFuture<Void> queued =
                    CompletableFuture.runAsync(() -> journal.append(record("kept", "2", "y")), pool);
            awaitQueued(journal, 2);
            disk.failNextDirectoryForce(directoryForceFailed);

            org.assertj.core.api.Assertions.assertThatThrownBy(journal::compact)
                    .isInstanceOf(dev.durable.JournalException.class)
                    .hasCause(directoryForceFailed);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(journal::close);
            while (!refusesReads(journal)) {
                Thread.onSpinWait(); // until close has begun: it waits for both appends
            }
            release.countDown();

            inFlight.get(20, TimeUnit.SECONDS); // forced before the journal stopped
            assertThat(queued)
                    .failsWithin(Duration.ofSeconds(20))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(dev.durable.JournalException.class)
                    .withCause(directoryForceFailed);
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        try (FileJournal journal = FileJournal.open(dir, small)) {
            assertThat(journal.read("kept")).extracting(r -> r.operationId()).containsExactly("1");
        }
    }

    @Test
    void closingWhileAGroupIsBeingForcedWaitsForItAndKeepsItsRecord() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            FileJournal journal =
                    FileJournal.open(dir, FileJournalOptions.defaults().storage(disk));
            CountDownLatch forcing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            holdNextForce(forcing, release);
            CompletableFuture<Void> inFlight =
                    CompletableFuture.runAsync(() -> journal.append(record("a", "1", "x")), pool);
            forcing.await();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(journal::close, pool);
            while (!refusesReads(journal)) {
                Thread.onSpinWait(); // until close has begun
            }
            assertThat(closing).as("waiting for the group being forced").isNotDone();
            release.countDown();

            inFlight.get(20, TimeUnit.SECONDS);
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).hasSize(1);
        }
    }

    private static boolean refusesReads(FileJournal journal) {
        try {
            journal.read("a");
            return false;
        } catch (dev.durable.JournalException closed) {
            return true;
        }
    }

    @Test
    void theCommitObserverIsToldOfEachGroupAndHowLongItTookAndCannotStopAnAppend() {
        List<long[]> commits = java.util.Collections.synchronizedList(new ArrayList<>());
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.observeCommits((records, bytes, nanos) -> commits.add(new long[] {records, bytes, nanos}));
            long before = System.nanoTime();
            journal.append(record("a", "1", "x"));
            long took = System.nanoTime() - before;

            assertThat(commits).singleElement().satisfies(c -> {
                assertThat(c[0]).as("records").isEqualTo(1);
                assertThat(c[1]).as("bytes").isEqualTo(RecordCodec.encode(record("a", "1", "x")).length);
                assertThat(c[2])
                        .as("nanoseconds to write and force")
                        .isPositive()
                        .isLessThanOrEqualTo(took);
            });

            journal.observeCommits((records, bytes, nanos) -> {
                throw new IllegalStateException("a broken observer");
            });
            journal.append(record("a", "2", "y"));
            assertThat(journal.read("a")).hasSize(2);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).hasSize(2);
        }
    }
}
