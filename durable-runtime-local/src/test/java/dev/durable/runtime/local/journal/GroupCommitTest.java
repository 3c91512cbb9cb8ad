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
            disk.beforeNextForce(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
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
}
