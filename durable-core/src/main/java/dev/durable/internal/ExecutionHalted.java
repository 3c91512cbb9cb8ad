package dev.durable.internal;

import dev.durable.JournalException;

/**
 * Stops a handler run that must not go on: the execution was cancelled, the runtime is closing, or the journal
 * failed to acknowledge a record (then {@link #getCause()} is the {@link JournalException}).
 */
final class ExecutionHalted extends Error {
    private static final long serialVersionUID = 1L;

    ExecutionHalted(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
