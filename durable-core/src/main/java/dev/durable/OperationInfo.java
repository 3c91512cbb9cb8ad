package dev.durable;

import java.time.Instant;
import java.util.List;

/**
 * One operation of an execution as the journal records it, for inspection (test kit, CLI).
 *
 * @param id the operation id, e.g. {@code 3} or {@code 2/1}
 * @param type STEP, WAIT, CALLBACK, CONTEXT, PARALLEL, MAP, BRANCH, INVOKE, WAIT_FOR_CONDITION or NOW
 * @param name the operation's name
 * @param status STARTED, SUCCEEDED, FAILED or RETRY (waiting for the next attempt or poll)
 * @param attempt the latest attempt (steps) or poll (waitForCondition), 0 where not applicable
 * @param startedAt when it was first journaled
 * @param updatedAt when it last changed
 * @param result the journaled result as text (JSON by default), or {@code null}
 * @param error the current failure: the final one of a failed operation, the last attempt's while a retry is
 *     pending; {@code null} once the operation succeeded (earlier attempts' errors are in {@code attempts})
 * @param waitUntil when a wait, retry delay, poll or callback timeout is due, or {@code null}
 * @param callbackId the callback's id, for callbacks
 * @param childExecution the child execution's name, for invoke
 * @param attempts each attempt's outcome and error, for steps and polls (empty for other kinds)
 */
public record OperationInfo(
        String id,
        String type,
        String name,
        String status,
        int attempt,
        Instant startedAt,
        Instant updatedAt,
        String result,
        ErrorInfo error,
        Instant waitUntil,
        String callbackId,
        String childExecution,
        List<AttemptInfo> attempts) {
    public OperationInfo {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** Whether the operation has its final outcome. */
    public boolean isDone() {
        return "SUCCEEDED".equals(status) || "FAILED".equals(status);
    }
}
