package dev.durable;

import java.time.Instant;

/**
 * One event of an execution's history, as {@link DurableRuntime#history} returns it: the typed form of one journal
 * record. This is stable API; the CLI and the test kit read it, and so can an operator's tools.
 *
 * <pre>{@code
 * for (HistoryEvent e : runtime.history("order-42")) {
 *     System.out.println(e.at() + " " + e.kind() + " " + e.operationId() + " " + e.name());
 * }
 * }</pre>
 *
 * @param sequence position of the event in the execution's history, from 0
 * @param at when it happened
 * @param kind what happened
 * @param operationId the operation's id ({@code 3}, {@code 2/1}), or {@code null} for execution events
 * @param parentId the enclosing operation's id (child context, batch, branch), or {@code null}
 * @param name the operation's name (may be {@code null} for an unnamed operation), or the function's for execution events
 * @param operationType STEP, WAIT, CALLBACK, CONTEXT, PARALLEL, MAP, BRANCH, INVOKE, WAIT_FOR_CONDITION, NOW or PATCH; {@code null} for execution events
 * @param subType what the operation is to its user: {@code step}, {@code wait}, {@code callback},
 *     {@code wait-for-callback submitter}, {@code wait-for-condition}, {@code child context}, {@code parallel},
 *     {@code parallel branch}, {@code map}, {@code map item}, {@code invoke}, {@code now}, {@code patch}
 * @param attempt the attempt or poll, or {@code null}
 * @param result the result or payload as journaled (JSON by default), the input for {@code EXECUTION_STARTED}, or {@code null}
 * @param error the failure, or {@code null}
 * @param until when a wait, retry delay, poll or callback timeout is due, or {@code null}
 * @param callbackId the callback's id, for callbacks
 * @param childExecution the invoked execution's name, for invoke; for {@code EXECUTION_STARTED} of an invoked
 *     execution, the execution that invoked it (and {@code parentId} the invoking operation)
 */
public record HistoryEvent(
        int sequence,
        Instant at,
        Kind kind,
        String operationId,
        String parentId,
        String name,
        String operationType,
        String subType,
        Integer attempt,
        String result,
        ErrorInfo error,
        Instant until,
        String callbackId,
        String childExecution) {

    /** What an event records. */
    public enum Kind {
        EXECUTION_STARTED,
        EXECUTION_SUCCEEDED,
        EXECUTION_FAILED,
        EXECUTION_CANCELLED,
        /** An operator retried the failed execution: failed operations run again. */
        EXECUTION_RETRIED,
        /** An operation began: an at-most-once step attempt, a wait, a callback, an invoke. */
        OPERATION_STARTED,
        OPERATION_SUCCEEDED,
        OPERATION_FAILED,
        /** An attempt or poll ended and the next one is due at {@code until}. */
        OPERATION_RETRYING,
        /** A callback passed its timeout or heartbeat timeout. */
        OPERATION_TIMED_OUT,
        /** A heartbeat of a callback arrived. */
        CALLBACK_HEARTBEAT
    }

    /** Whether this is the start of an at-most-once step attempt (the only STARTED record a step gets). */
    public boolean isStepAttemptStart() {
        return kind == Kind.OPERATION_STARTED && "STEP".equals(operationType);
    }

    /** Whether this event is about an execution as a whole rather than one of its operations. */
    public boolean isExecutionEvent() {
        return operationId == null;
    }
}
