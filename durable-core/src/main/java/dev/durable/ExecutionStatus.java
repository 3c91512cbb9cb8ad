package dev.durable;

/** Where an execution stands. */
public enum ExecutionStatus {
    /** The handler is running (or queued to run). */
    RUNNING,
    /** Suspended on a timer, callback, retry delay, poll or child execution; no thread is held. */
    WAITING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** Whether the execution has ended. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
