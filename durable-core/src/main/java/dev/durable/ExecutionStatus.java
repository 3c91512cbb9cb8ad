package dev.durable;

/** Where an execution stands. */
public enum ExecutionStatus {
    /** The handler is running (or queued to run). */
    RUNNING,
    /** Suspended on a timer, callback, retry delay, poll or child execution; no thread is held. */
    WAITING,
    /**
     * Held because the code no longer matches its history: on replay an operation differed from what the journal
     * holds ({@link NonDeterministicExecutionException}). Not terminal, and nothing of its history is lost: it holds no
     * thread and no timer, its callers keep waiting, and it is replayed again when a runtime opens with (or registers)
     * code that may match, or when an operator retries it; an operator may also end it with
     * {@link DurableRuntime#fail}. {@link ExecutionInfo#blockedReason()} says where it diverged.
     */
    BLOCKED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** Whether the execution has ended. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
