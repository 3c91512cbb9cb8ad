package dev.durable.spi.journal;

/** State changes of an operation, as journaled. */
public enum OpStatus {
    /** Started: an at-most-once attempt began, a wait or callback was armed, a child execution was started. */
    STARTED,
    SUCCEEDED,
    FAILED,
    /** An attempt failed (or a poll said "not yet") and the next one is due at {@code retryAt}. */
    RETRY,
    /** A callback heartbeat arrived. */
    HEARTBEAT
}
