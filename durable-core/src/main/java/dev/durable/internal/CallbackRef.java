package dev.durable.internal;

import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.DurableClock;
import dev.durable.ErrorInfo;
import dev.durable.SerDes;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
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
    /** Whether a waitForCallback (or a callback method) waits for it, rather than a created callback's handle. */
    volatile boolean awaited;

    Type type;
    SerDes serdes;
    OpStatus status = OpStatus.STARTED;
    Instant lastHeartbeat;
    Instant completedAt;
    String result;
    ErrorInfo error;
    /** The timer that journals the timeout at {@link #deadline()}, while pending. */
    DurableClock.Timer timer;

    CallbackRef(
            String id,
            String execution,
            String operationId,
            String name,
            Instant createdAt,
            Instant timeoutAt,
            Duration heartbeatTimeout,
            String typeName) {
        this.id = id;
        this.execution = execution;
        this.operationId = operationId;
        this.name = name;
        this.createdAt = createdAt;
        this.timeoutAt = timeoutAt;
        this.heartbeatTimeout = heartbeatTimeout;
        this.typeName = typeName;
    }

    static CallbackRef fromJournal(String execution, OpState op, boolean awaited) {
        CallbackRef ref = new CallbackRef(
                op.callbackId, execution, op.id, op.name, op.startedAt, op.until, op.heartbeatTimeout, op.valueType);
        ref.awaited = awaited;
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

    boolean isPending() {
        return status != OpStatus.SUCCEEDED && status != OpStatus.FAILED;
    }

    boolean timedOut() {
        return status == OpStatus.FAILED
                && error != null
                && CallbackTimeoutException.class.getName().equals(error.type());
    }

    String where() {
        return "callback " + id + " (operation " + operationId + " '" + name + "' of execution '" + execution + "')";
    }

    /** The exception the waiting code gets for a failed callback; a failure's data travels in {@link #result}. */
    RuntimeException failure() {
        if (timedOut()) {
            return new CallbackTimeoutException(error.message());
        }
        return new CallbackFailedException(where() + " was failed: " + error.summary(), error, result);
    }

    String describeOutcome() {
        return switch (status) {
            case SUCCEEDED -> "was already completed at " + completedAt;
            case FAILED -> timedOut() ? "already timed out at " + completedAt : "was already failed at " + completedAt;
            default -> "is pending";
        };
    }
}
