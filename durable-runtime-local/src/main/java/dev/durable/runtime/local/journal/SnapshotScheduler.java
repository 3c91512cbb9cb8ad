package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the index ({@link IndexSnapshot}) so that the next open reads only what comes after it: on the maintenance
 * thread once enough has been sealed since the last one, after compaction (the old one no longer matches the files)
 * and at close. A snapshot that cannot be written is only a slower next open: it is logged, never a failure.
 */
final class SnapshotScheduler {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    /** After a crash, open indexes at most about this much beyond the last snapshot (plus the active segment). */
    private static final long SNAPSHOT_EVERY_BYTES = 64L << 20;

    private final Path directory;
    private final JournalStorage storage;
    private final Executor maintenance;
    private final Supplier<IndexSnapshot> capture;
    private final Supplier<Throwable> failure;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long bytesSinceSnapshot; // touched only by the committing thread

    /** {@code capture} takes the index as of now; no snapshot is written once {@code failure} is set. */
    SnapshotScheduler(
            Path directory,
            JournalStorage storage,
            Executor maintenance,
            Supplier<IndexSnapshot> capture,
            Supplier<Throwable> failure) {
        this.directory = directory;
        this.storage = storage;
        this.maintenance = maintenance;
        this.capture = capture;
        this.failure = failure;
    }

    /** A segment of {@code bytes} was sealed; schedules a snapshot once enough has been. */
    void sealed(long bytes) {
        bytesSinceSnapshot += bytes;
        if (bytesSinceSnapshot >= SNAPSHOT_EVERY_BYTES) {
            bytesSinceSnapshot = 0;
            schedule();
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(() -> {
                    scheduled.set(false);
                    write();
                });
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // closing: close writes one
            }
        }
    }

    /** Saves the index now. */
    synchronized void write() {
        if (failure.get() != null) {
            return;
        }
        IndexSnapshot snapshot = capture.get();
        try {
            snapshot.write(storage, directory);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not save the index snapshot of the journal in {}; the next open will read more of the"
                            + " segments, nothing is lost",
                    directory,
                    e);
        }
    }
}
