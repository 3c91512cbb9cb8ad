package dev.durable.runtime.local.journal;

/**
 * How hard the journal works to keep an acknowledged operation.
 *
 * <pre>{@code
 * FileJournal journal = FileJournal.open(dir, FileJournalOptions.defaults().durability(Durability.BATCHED));
 * }</pre>
 */
public enum Durability {
    /**
     * Default. An operation is acknowledged once the {@code force} covering its record returns; operations that
     * arrive together share one {@code force} (group commit). Survives a crash of the process or the machine.
     */
    SYNC,
    /**
     * As {@link #SYNC}, but the thread that will force first waits a short, bounded commit window (see
     * {@link FileJournalOptions#batchWindow(java.time.Duration)}) so that more operations share each {@code force}.
     * Higher throughput under moderate concurrency, at the price of up to one window of extra latency. Acknowledged
     * operations are as durable as with {@code SYNC}.
     */
    BATCHED,
    /** Nothing is written to disk: everything is lost with the process. For tests and throwaway runs. */
    MEMORY
}
