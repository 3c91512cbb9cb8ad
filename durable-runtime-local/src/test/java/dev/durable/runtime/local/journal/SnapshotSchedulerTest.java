package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the index is saved while appending: once 64 MiB have been sealed since the last snapshot, on the maintenance
 * thread. The maintenance thread here is a queue the test runs, so that nothing depends on timing.
 */
class SnapshotSchedulerTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** Work handed to the maintenance thread, run when the test says so. */
    private final Queue<Runnable> maintenance = new ArrayDeque<>();

    private final Executor maintenanceThread = maintenance::add;
    /** Each capture of the index covers one more byte of segment 1, so that each snapshot written differs. */
    private final AtomicLong captures = new AtomicLong();

    private SnapshotScheduler scheduler() {
        return new SnapshotScheduler(
                dir,
                JournalStorage.DISK,
                maintenanceThread,
                () -> new IndexSnapshot(
                        List.of(new IndexSnapshot.SegmentState(1, 7, 32 + captures.incrementAndGet(), 0, 0)),
                        List.of()),
                () -> null);
    }

    private void runMaintenance() {
        for (Runnable task; (task = maintenance.poll()) != null; ) {
            task.run();
        }
    }

    /** The end of segment 1 as the snapshot on disk has it, or -1 if there is none. */
    private long savedEnd() {
        IndexSnapshot saved = IndexSnapshot.read(JournalStorage.DISK, dir);
        return saved == null ? -1 : saved.segments.get(0).end();
    }

    @Test
    void theIndexIsSavedOnTheMaintenanceThreadOnceSixtyFourMebibytesHaveBeenSealedSinceTheLastSnapshot()
            throws IOException {
        SnapshotScheduler snapshots = scheduler();

        snapshots.sealed(40 * MIB);
        runMaintenance();
        assertThat(dir.resolve(IndexSnapshot.FILE_NAME)).as("40 MiB sealed").doesNotExist();

        snapshots.sealed(24 * MIB);
        assertThat(dir.resolve(IndexSnapshot.FILE_NAME))
                .as("not on the committing thread")
                .doesNotExist();
        runMaintenance();
        assertThat(savedEnd()).as("64 MiB sealed").isEqualTo(33);

        Files.delete(dir.resolve(IndexSnapshot.FILE_NAME));
        snapshots.sealed(64 * MIB - 1);
        runMaintenance();
        assertThat(dir.resolve(IndexSnapshot.FILE_NAME))
                .as("counted again from the last snapshot")
                .doesNotExist();

        snapshots.sealed(1);
        runMaintenance();
        assertThat(savedEnd()).as("the next 64 MiB").isEqualTo(34);
    }

    @Test
    void sealingMuchMoreBeforeTheMaintenanceThreadGetsToItSavesTheIndexOnceAsOfWhenItRuns() {
        SnapshotScheduler snapshots = scheduler();

        snapshots.sealed(64 * MIB);
        snapshots.sealed(64 * MIB);
        snapshots.sealed(200 * MIB);
        runMaintenance();

        assertThat(savedEnd())
                .as("one capture, taken when the maintenance thread ran")
                .isEqualTo(33);
        snapshots.sealed(64 * MIB);
        runMaintenance();
        assertThat(savedEnd()).as("saved again after the next 64 MiB").isEqualTo(34);
    }

    @Test
    void aSnapshotIsNotSavedOnceTheJournalHasFailed() {
        SnapshotScheduler snapshots = new SnapshotScheduler(
                dir,
                JournalStorage.DISK,
                maintenanceThread,
                () -> new IndexSnapshot(List.of(), List.of()),
                () -> new IOException("Input/output error"));

        snapshots.sealed(64 * MIB);
        runMaintenance();
        snapshots.write();

        assertThat(dir.resolve(IndexSnapshot.FILE_NAME)).doesNotExist();
    }
}
