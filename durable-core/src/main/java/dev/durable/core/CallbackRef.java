package dev.durable.core;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;

/**
 * The live state of one callback, shared by the handler waiting for it and the outside code completing it; every
 * change happens under its monitor, after the journal acknowledged it, so exactly one outcome wins.
 */
final class CallbackRef {
    final String id;
    final String execution;
    final String operationId;
    final String name;
    final Instant createdAt;
    final Instant timeoutAt;
    final Duration heartbeatTimeout;
    final String typeName;
    Type type;
    SerDes serdes;
    OpStatus status = OpStatus.STARTED;
    Instant lastHeartbeat;
    Instant completedAt;
    String result;
    ErrorInfo error;

    CallbackRef(String id, String execution, String operationId, String name, Instant createdAt, Instant timeoutAt,
                Duration heartbeatTimeout, String typeName) {
        this.id = id;
        this.execution = execution;
        this.operationId = operationId;
        this.name = name;
        this.createdAt = createdAt;
        this.timeoutAt = timeoutAt;
        this.heartbeatTimeout = heartbeatTimeout;
        this.typeName = typeName;
    }

    static CallbackRef fromJournal(String execution, OpState op) {
        CallbackRef ref = new CallbackRef(op.callbackId, execution, op.id, op.name, op.startedAt, op.until,
                op.heartbeatTimeout, op.valueType);
        ref.lastHeartbeat = op.lastHeartbeat;
        if (op.isDone()) {
            ref.status = op.status;
            ref.result = op.result;
            ref.error = op.error;
            ref.completedAt = op.updatedAt;
        }
        return ref;
    }

    /** The earliest time the wait ends by itself (timeout or heartbeat timeout), or {@code null}. */
    Instant deadline() {
        Instant deadline = timeoutAt;
        if (heartbeatTimeout != null) {
            Instant hb = (lastHeartbeat != null ? lastHeartbeat : createdAt).plus(heartbeatTimeout);
            deadline = deadline == null || hb.isBefore(deadline) ? hb : deadline;
        }
        return deadline;
    }

    /** The exception the waiting code gets for a failed callback. */
    RuntimeException failure() {
        if (CallbackTimeoutException.class.getName().equals(error.type())) {
            return new CallbackTimeoutException(error.message());
        }
        return new CallbackFailedException("callback " + id + " (operation " + operationId + " '" + name
                + "' of execution '" + execution + "') was failed: " + error.summary(), error);
    }

    String describeOutcome() {
        return switch (status) {
            case SUCCEEDED -> "was already completed at " + completedAt;
            case FAILED -> CallbackTimeoutException.class.getName().equals(error.type())
                    ? "already timed out at " + completedAt : "was already failed at " + completedAt;
            default -> "is pending";
        };
    }
}
