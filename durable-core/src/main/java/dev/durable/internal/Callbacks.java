package dev.durable.internal;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.ErrorInfo;
import dev.durable.spi.journal.History;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;


import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callbacks of a runtime: the index by id, completions, failures and heartbeats from outside, and the timers
 * that time a callback out at its due time whatever its handler is doing. Every change of a callback happens under
 * its monitor after the journal acknowledged it, so exactly one outcome wins; a change after the deadline is refused.
 */
final class Callbacks {
    private final DurableEngine engine;
    private final Map<String, CallbackRef> refs = new ConcurrentHashMap<>();
    private volatile boolean indexed;

    Callbacks(DurableEngine engine) {
        this.engine = engine;
    }

    // ---- the index --------------------------------------------------------------------------------------------

    /** A callback just created by a handler: indexed and its deadline armed. */
    void created(CallbackRef ref) {
        refs.put(ref.id, ref);
        arm(ref);
    }

    /** The callback of a replayed CALLBACK operation: the indexed one, or one built from the journal and armed. */
    CallbackRef replayed(String execution, OpState op) {
        CallbackRef[] fresh = new CallbackRef[1];
        CallbackRef ref = refs.computeIfAbsent(op.callbackId, k -> fresh[0] = CallbackRef.fromJournal(execution, op));
        if (ref == fresh[0]) {
            arm(ref);
        }
        return ref;
    }

    /** The callback with that id; builds the index from the journal the first time an unknown id is named. */
    CallbackRef find(String callbackId) {
        Objects.requireNonNull(callbackId, "callbackId must not be null");
        CallbackRef ref = refs.get(callbackId);
        if (ref == null && !indexed) {
            index();
            ref = refs.get(callbackId);
        }
        if (ref == null) {
            throw new UnknownCallbackException("no callback with id '" + callbackId + "' exists in this runtime's"
                    + " journal; check the id (it is case-sensitive), and that the execution has reached the"
                    + " callback and was not removed by retention");
        }
        return ref;
    }

    /** Indexes every callback in the journal (and arms the pending ones), once. */
    void index() {
        synchronized (refs) {
            if (indexed) {
                return;
            }
            for (ExecutionEntry e : engine.entries()) {
                for (OpState op : History.of(e.name, engine.journal.read(e.name)).operations()) {
                    if (op.type == OpType.CALLBACK && op.callbackId != null) {
                        replayed(e.name, op);
                    }
                }
            }
            indexed = true;
        }
    }

    void forget(Set<String> executions) {
        refs.values().removeIf(c -> {
            if (executions.contains(c.execution)) {
                disarm(c);
                return true;
            }
            return false;
        });
    }

    void close() {
        refs.values().forEach(Callbacks::disarm);
    }

    // ---- timeouts ---------------------------------------------------------------------------------------------

    private void arm(CallbackRef ref) {
        synchronized (ref) {
            disarm(ref);
            Instant deadline = ref.deadline();
            if (ref.isPending() && deadline != null && !engine.closed) {
                ref.timer = engine.clock.schedule(deadline, () -> fire(ref));
            }
        }
    }

    private static void disarm(CallbackRef ref) {
        synchronized (ref) {
            if (ref.timer != null) {
                ref.timer.cancel();
                ref.timer = null;
            }
        }
    }

    private void fire(CallbackRef ref) {
        ExecutionEntry e = engine.entryOrNull(ref.execution);
        if (e == null) {
            return;
        }
        try {
            if (expireIfDue(ref, e, engine.clock.now())) {
                engine.schedule(e);
            }
        } catch (JournalException j) {
            DurableEngine.LOG.error("the timeout of {} could not be journaled; it is journaled when the execution"
                    + " next runs: {}", ref.where(), j.getMessage(), j);
        }
    }

    /**
     * Times {@code ref} out if it is pending and its deadline has passed at {@code now}: journals the failure, dated at
     * the deadline. Returns whether it timed out now.
     */
    boolean expireIfDue(CallbackRef ref, ExecutionEntry e, Instant now) {
        synchronized (ref) {
            Instant deadline = ref.deadline();
            if (!ref.isPending() || deadline == null || now.isBefore(deadline)) {
                return false;
            }
            String why = ref.timeoutAt != null && !deadline.isBefore(ref.timeoutAt)
                    ? "was not completed within its timeout (due " + ref.timeoutAt + ")"
                    : "received no heartbeat within " + ref.heartbeatTimeout + " (due " + deadline + ")";
            ErrorInfo info = ErrorInfo.of(CallbackTimeoutException.class.getName(), ref.where() + " " + why);
            boolean open = e.appendWhileOpen(() -> engine.journal.append(EventCodec.operation(ref.execution, ref.operationId,
                    OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.FAILED, deadline).error(info))));
            if (!open) {
                return false;
            }
            ref.status = OpStatus.FAILED;
            ref.error = info;
            ref.completedAt = deadline;
            disarm(ref);
            return true;
        }
    }

    // ---- from outside -----------------------------------------------------------------------------------------

    void complete(String callbackId, Object payload) {
        CallbackRef ref = find(callbackId);
        Type type = payload == null ? Object.class : payload.getClass();
        completeJson(callbackId, payloadSerdes(ref).serialize(payload, type));
    }

    void completeJson(String callbackId, String json) {
        CallbackRef ref = find(callbackId);
        Objects.requireNonNull(json, "json must not be null");
        engine.checkSize(json, "the payload for " + ref.where());
        validatePayload(ref, json);
        resolve(ref, OpStatus.SUCCEEDED, json, null);
    }

    void fail(String callbackId, String errorType, String message, String data) {
        CallbackRef ref = find(callbackId);
        String type = errorType == null || errorType.isBlank() ? "CallbackError" : errorType;
        if (data != null) {
            engine.checkSize(data, "the error data for " + ref.where());
        }
        resolve(ref, OpStatus.FAILED, data, ErrorInfo.of(type, message));
    }

    void heartbeat(String callbackId) {
        CallbackRef ref = find(callbackId);
        ExecutionEntry e = engine.entry(ref.execution);
        synchronized (ref) {
            Instant now = engine.clock.now();
            checkPending(ref, e, now);
            appendWhilePending(ref, e, OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.HEARTBEAT, now));
            ref.lastHeartbeat = now;
        }
        arm(ref);
    }

    private void resolve(CallbackRef ref, OpStatus status, String json, ErrorInfo error) {
        ExecutionEntry e = engine.entry(ref.execution);
        synchronized (ref) {
            Instant now = engine.clock.now();
            checkPending(ref, e, now);
            appendWhilePending(ref, e, OpEvent.of(OpType.CALLBACK, ref.name, status, now).result(json).error(error));
            ref.status = status;
            ref.result = json;
            ref.error = error;
            ref.completedAt = now;
            disarm(ref);
        }
        engine.schedule(e);
    }

    /** Journals a change of a pending callback, unless its execution ended meanwhile (then nothing changes). */
    private void appendWhilePending(CallbackRef ref, ExecutionEntry e, OpEvent event) {
        if (!e.appendWhileOpen(() -> engine.journal.append(EventCodec.operation(ref.execution, ref.operationId, event)))) {
            checkPending(ref, e, null); // throws: the execution has ended
        }
    }

    /** Throws unless {@code ref} can still change: pending, its execution running, its deadline not passed. */
    private void checkPending(CallbackRef ref, ExecutionEntry e, Instant now) {
        if (now != null && expireIfDue(ref, e, now)) {
            engine.schedule(e);
        }
        if (ref.timedOut()) {
            throw new CallbackTimeoutException(ref.where() + " timed out at " + ref.completedAt + " ("
                    + ref.error.message() + "); this call changed nothing");
        }
        if (!ref.isPending()) {
            throw new CallbackAlreadyCompletedException(ref.where() + " " + ref.describeOutcome()
                    + "; this call changed nothing");
        }
        if (e.outcome() != null) {
            throw new CallbackAlreadyCompletedException(ref.where() + " can no longer be completed: the execution has"
                    + " ended (" + e.status + "); this call changed nothing");
        }
    }

    // ---- payloads ---------------------------------------------------------------------------------------------

    /** The serializer of {@code ref}'s payload: its own, or the runtime's reading strictly. */
    SerDes payloadSerdes(CallbackRef ref) {
        SerDes own;
        synchronized (ref) {
            own = ref.serdes;
        }
        if (own != null) {
            return own;
        }
        return engine.serdes instanceof JsonSerDes json ? json.strict() : engine.serdes;
    }

    /** The awaited type: the live one, else the one journaled with the callback if the runtime's serializer can name it. */
    private Type awaitedType(CallbackRef ref) {
        synchronized (ref) {
            if (ref.type != null) {
                return ref.type;
            }
            if (ref.serdes != null || ref.typeName == null || !(engine.serdes instanceof JsonSerDes js)) {
                return null;
            }
            try {
                return js.mapper().getTypeFactory().constructFromCanonical(ref.typeName);
            } catch (IllegalArgumentException unresolved) {
                return null;
            }
        }
    }

    private void validatePayload(CallbackRef ref, String json) {
        Type type = awaitedType(ref);
        if (type == null) {
            return; // checked when the handler reads it; a payload that does not convert then fails catchably
        }
        try {
            payloadSerdes(ref).deserialize(json, type);
        } catch (RuntimeException e) {
            String name = type instanceof com.fasterxml.jackson.databind.JavaType jt ? jt.toCanonical() : type.getTypeName();
            throw new SerializationException("the payload for " + ref.where() + " does not convert to "
                    + name + ": " + e.getMessage() + ". Nothing was changed; send a payload of that type.", e);
        }
    }

    /** Clears the payload failures of an execution's callbacks so they can be completed again (operator retry). */
    void retried(String execution) {
        for (CallbackRef ref : refs.values()) {
            synchronized (ref) {
                if (ref.execution.equals(execution) && ref.status == OpStatus.FAILED && ref.error != null
                        && CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE.equals(ref.error.type())) {
                    ref.status = OpStatus.STARTED;
                    ref.result = null;
                    ref.error = null;
                    ref.completedAt = null;
                }
            }
            if (ref.execution.equals(execution) && ref.isPending()) {
                arm(ref);
            }
        }
    }
}
