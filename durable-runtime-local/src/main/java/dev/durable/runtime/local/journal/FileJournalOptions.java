package dev.durable.runtime.local.journal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FileJournal} writes. Immutable; each setter returns a changed copy.
 *
 * <pre>{@code
 * FileJournalOptions options = FileJournalOptions.defaults()
 *         .durability(Durability.BATCHED)
 *         .batchWindow(Duration.ofMillis(2));
 * }</pre>
 */
public final class FileJournalOptions {
    private static final long MIN_SEGMENT = 4096;
    private static final long MAX_SEGMENT = 1L << 30;

    private final Durability durability;
    private final Duration batchWindow;
    private final long segmentSize;
    private final boolean automaticCompaction;
    private final boolean preallocate;
    private final JournalStorage storage;

    private FileJournalOptions(
            Durability durability,
            Duration batchWindow,
            long segmentSize,
            boolean automaticCompaction,
            boolean preallocate,
            JournalStorage storage) {
        this.durability = durability;
        this.batchWindow = batchWindow;
        this.segmentSize = segmentSize;
        this.automaticCompaction = automaticCompaction;
        this.preallocate = preallocate;
        this.storage = storage;
    }

    /** {@link Durability#SYNC}, a 2 ms batch window, 64 MiB segments, automatic compaction, preallocation. */
    public static FileJournalOptions defaults() {
        return new FileJournalOptions(
                Durability.SYNC, Duration.ofMillis(2), 64L << 20, true, true, JournalStorage.DISK);
    }

    /** When an append is acknowledged; {@link Durability#MEMORY} is not a file journal and is refused on open. */
    public FileJournalOptions durability(Durability durability) {
        return new FileJournalOptions(
                Objects.requireNonNull(durability, "durability"),
                batchWindow,
                segmentSize,
                automaticCompaction,
                preallocate,
                storage);
    }

    /** With {@link Durability#BATCHED}: how long the first writer of a group waits for others before forcing. */
    public FileJournalOptions batchWindow(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("the batch window must be between 0 and 1 second; got " + window);
        }
        return new FileJournalOptions(durability, window, segmentSize, automaticCompaction, preallocate, storage);
    }

    /**
     * The size at which the journal starts a new segment file; a commit group is never split, so a segment may end a
     * little larger. Between 4 KiB and 1 GiB.
     */
    public FileJournalOptions segmentSize(long bytes) {
        if (bytes < MIN_SEGMENT || bytes > MAX_SEGMENT) {
            throw new IllegalArgumentException(
                    "the segment size must be between " + MIN_SEGMENT + " and " + MAX_SEGMENT + " bytes; got " + bytes);
        }
        return new FileJournalOptions(durability, batchWindow, bytes, automaticCompaction, preallocate, storage);
    }

    /**
     * Whether the journal compacts on its own, on a background thread, once forgotten executions make up most of
     * its sealed segments. {@link FileJournal#compact()} works either way.
     */
    public FileJournalOptions automaticCompaction(boolean enabled) {
        return new FileJournalOptions(durability, batchWindow, segmentSize, enabled, preallocate, storage);
    }

    /**
     * Replaces the file layer, so that tests can make writes and forces fail or come up short and see what the
     * journal and its callers do. Default {@link JournalStorage#DISK}.
     */
    public FileJournalOptions storage(JournalStorage storage) {
        return new FileJournalOptions(
                durability,
                batchWindow,
                segmentSize,
                automaticCompaction,
                preallocate,
                Objects.requireNonNull(storage, "storage"));
    }

    /** When an append is acknowledged. */
    public Durability durability() {
        return durability;
    }

    /** How long the first writer of a group waits for company under {@link Durability#BATCHED}. */
    public Duration batchWindow() {
        return batchWindow;
    }

    /** The size at which a new segment file is started. */
    public long segmentSize() {
        return segmentSize;
    }

    /** Whether forgotten executions are compacted away in the background. */
    public boolean automaticCompaction() {
        return automaticCompaction;
    }

    /** Whether zeros are written ahead of the records. */
    public boolean preallocate() {
        return preallocate;
    }

    /** The file layer. */
    public JournalStorage storage() {
        return storage;
    }

    @Override
    public String toString() {
        return "FileJournalOptions[durability=" + durability + ", batchWindow=" + batchWindow + ", segmentSize="
                + segmentSize + ", automaticCompaction=" + automaticCompaction + ", preallocate=" + preallocate + "]";
    }
}
