package dev.durable.spi.plugin;

/** How a run of a handler ended. */
public enum InvocationStatus {
    /**
     * Suspended, blocked (the run diverged from the journal), or stopped by a cancel, a close or a journal failure:
     * the execution goes on later or has ended.
     */
    PENDING,
    SUCCEEDED,
    FAILED
}
