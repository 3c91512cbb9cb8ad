package dev.durable.internal;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.DurableClock;
import dev.durable.ErrorInfo;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.OperationKind;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The callbacks of a runtime: found by id through the {@link CallbackIndex}, completed, failed and heartbeaten from
 * outside, and timed out at their due time whatever their handler is doing. Every change of a callback happens under
 * its monitor after the journal acknowledged it, so exactly one outcome wins; a change after the deadline is refused.
 */
final class Callbacks {
    private final Journal journal;
    private final DurableClock clock;
    private final PayloadCodec codec;
    private final Executions executions;
    private final Scheduler scheduler;
    private final CallbackIndex index;
    /** Serializes lookups that miss the index, so none gives up while another is reading the history it needs. */
    private final Object misses = new Object();

    private final Plugins plugins;

    Callbacks(
            Journal journal,
            DurableClock clock,
            PayloadCodec codec,
            Executions executions,
            Scheduler scheduler,
            Plugins plugins) {
        this.plugins = plugins;
        this.journal = journal;
        this.clock = clock;
        this.codec = codec;
        this.executions = executions;
        this.scheduler = scheduler;
        this.index = new CallbackIndex(executions::held);
    }

    // ---- the index --------------------------------------------------------------------------------------------

    /** Notes the executions found when the runtime opened: their callbacks are read when first needed. */
    void recovered(Collection<ExecutionEntry> recovered) {
        for (ExecutionEntry e : recovered) {
            index.unread(e, e.outcome() != null);
            List<String> awaited = e.takeAwaitedAtOpen();
            if (awaited != null) {
                awaited.forEach(id -> index.hint(id, e.name));
            }
        }
    }

    /** The ids of the pending callbacks of {@code execution} indexed here. */
    List<String> pendingIds(String execution) {
        return index.pendingIds(execution);
    }

    /** A callback just created by a handler: indexed and its deadline armed. */
    void created(CallbackRef ref) {
        index.add(ref);
        arm(ref);
    }

    /**
     * The callback of a replayed CALLBACK operation: the indexed one, or one built from the journal and armed (the
     * replaying code says whether it awaits it).
     */
    CallbackRef replayed(String execution, OpState op) {
        return index.fromJournal(execution, op, false, this::arm);
    }

    /** Indexes the callbacks of an execution from a history just read for a run, unless they are indexed already. */
    void historyRead(String execution, History history) {
        if (index.isUnread(execution)) {
            index.read(execution, history, this::armWhileOpen);
        }
    }

    /**
     * The callback with that id. Reads no history when the index has it; otherwise reads the executions not read
     * since the runtime opened, one at a time, until one has it.
     */
    CallbackRef find(String callbackId) {
        Objects.requireNonNull(callbackId, "callbackId must not be null");
        CallbackRef ref = index.get(callbackId);
        if (ref == null) {
            synchronized (misses) {
                ref = index.get(callbackId);
                String hinted = ref == null ? index.takeHint(callbackId) : null;
                if (hinted != null) {
                    index.read(hinted, History.of(hinted, journal.read(hinted)), this::armWhileOpen);
                    ref = index.get(callbackId);
                }
                while (ref == null) {
                    String execution = index.takeUnread();
                    if (execution == null) {
                        throw unknown(callbackId);
                    }
                    index.read(execution, History.of(execution, journal.read(execution)), this::armWhileOpen);
                    ref = index.get(callbackId);
                }
            }
        }
        if (executions.find(ref.execution) == null) {
            throw unknown(callbackId); // its execution was forgotten while the lookup read it
        }
        return ref;
    }

    private static UnknownCallbackException unknown(String callbackId) {
        return new UnknownCallbackException("no callback with id '" + callbackId + "' exists in this runtime's"
                + " journal; check the id (it is case-sensitive), and that the execution has reached the"
                + " callback and was not removed by retention");
    }

    /** The earliest deadline of the pending callbacks of {@code execution} indexed here, or {@code null}. */
    Instant nextDeadline(String execution) {
        return index.nextDeadline(execution);
    }

    void forget(Set<String> forgotten) {
        index.forget(forgotten).forEach(Callbacks::disarm);
    }

    void close() {
        index.all().forEach(Callbacks::disarm);
    }

    // ---- timeouts ---------------------------------------------------------------------------------------------

    private void arm(CallbackRef ref) {
        synchronized (ref) {
            disarm(ref);
            Instant deadline = ref.deadline();
            if (ref.isPending() && deadline != null && !scheduler.isClosed()) {
                ref.timer = clock.schedule(deadline, () -> fire(ref));
            }
        }
    }

    /** Arms a callback read from the journal unless its execution has ended: then it can no longer time out. */
    private void armWhileOpen(CallbackRef ref) {
        ExecutionEntry e = executions.find(ref.execution);
        if (e != null && e.outcome() == null) {
            arm(ref);
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
        ExecutionEntry e = executions.find(ref.execution);
        if (e == null) {
            return;
        }
        try {
            if (expireIfDue(ref, e, clock.now())) {
                scheduler.schedule(e);
            }
        } catch (JournalException j) {
            DurableEngine.LOG.error(
                    "the timeout of {} could not be journaled; it is journaled when the execution" + " next runs: {}",
                    ref.where(),
                    j.getMessage(),
                    j);
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
            boolean open = appendWhileOpen(
                    ref,
                    e,
                    OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.FAILED, deadline)
                            .error(info));
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
        codec.checkSize(json, "the payload for " + ref.where());
        validatePayload(ref, json);
        resolve(ref, OpStatus.SUCCEEDED, json, null);
    }

    void fail(String callbackId, String errorType, String message, String data) {
        CallbackRef ref = find(callbackId);
        String type = errorType == null || errorType.isBlank() ? "CallbackError" : errorType;
        if (data != null) {
            codec.checkSize(data, "the error data for " + ref.where());
        }
        resolve(ref, OpStatus.FAILED, data, ErrorInfo.of(type, message));
    }

    void heartbeat(String callbackId) {
        CallbackRef ref = find(callbackId);
        ExecutionEntry e = executions.get(ref.execution);
        synchronized (ref) {
            Instant now = clock.now();
            checkPending(ref, e, now);
            appendWhilePending(ref, e, OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.HEARTBEAT, now));
            ref.lastHeartbeat = now;
        }
        arm(ref);
    }

    private void resolve(CallbackRef ref, OpStatus status, String json, ErrorInfo error) {
        ExecutionEntry e = executions.get(ref.execution);
        synchronized (ref) {
            Instant now = clock.now();
            checkPending(ref, e, now);
            appendWhilePending(
                    ref,
                    e,
                    OpEvent.of(OpType.CALLBACK, ref.name, status, now)
                            .result(json)
                            .error(error));
            ref.status = status;
            ref.result = json;
            ref.error = error;
            ref.completedAt = now;
            disarm(ref);
        }
        scheduler.schedule(e);
    }

    /** Journals a change of a pending callback, unless its execution ended meanwhile (then nothing changes). */
    private void appendWhilePending(CallbackRef ref, ExecutionEntry e, OpEvent event) {
        if (!appendWhileOpen(ref, e, event)) {
            checkPending(ref, e, null); // throws: the execution has ended
        }
    }

    /** Journals a change of {@code ref} (held by the caller) unless its execution has ended; false if it had. */
    private boolean appendWhileOpen(CallbackRef ref, ExecutionEntry e, OpEvent event) {
        Op.checkLegal(OpType.CALLBACK, ref.status, event, ref.where());
        boolean open =
                e.appendWhileOpen(() -> journal.append(EventCodec.operation(ref.execution, ref.operationId, event)));
        if (open && plugins.observed(e)) {
            plugins.journaled(
                    e,
                    ref.operationId,
                    Plugins.parentOf(ref.operationId),
                    event,
                    ref.awaited ? OperationKind.WAIT_FOR_CALLBACK : OperationKind.CALLBACK,
                    ref.createdAt);
        }
        return open;
    }

    /** Throws unless {@code ref} can still change: pending, its execution running, its deadline not passed. */
    private void checkPending(CallbackRef ref, ExecutionEntry e, Instant now) {
        if (now != null && expireIfDue(ref, e, now)) {
            scheduler.schedule(e);
        }
        if (ref.timedOut()) {
            throw new CallbackTimeoutException(ref.where() + " timed out at " + ref.completedAt + " ("
                    + ref.error.message() + "); this call changed nothing");
        }
        if (!ref.isPending()) {
            throw new CallbackAlreadyCompletedException(
                    ref.where() + " " + ref.describeOutcome() + "; this call changed nothing");
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
        return own != null ? own : codec.strict();
    }

    /** The awaited type: the live one, else the one journaled with the callback if the runtime's serializer can name it. */
    private Type awaitedType(CallbackRef ref) {
        synchronized (ref) {
            if (ref.type != null) {
                return ref.type;
            }
            if (ref.serdes != null || ref.typeName == null || !(codec.serdes() instanceof JsonSerDes js)) {
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
            String name =
                    type instanceof com.fasterxml.jackson.databind.JavaType jt ? jt.toCanonical() : type.getTypeName();
            throw new SerializationException(
                    "the payload for " + ref.where() + " does not convert to " + name + ": " + e.getMessage()
                            + ". Nothing was changed; send a payload of that type.",
                    e);
        }
    }

    /** Clears the payload failures of an execution's callbacks so they can be completed again (operator retry). */
    void retried(String execution) {
        List<CallbackRef> refs = index.of(execution);
        if (refs.isEmpty()) {
            ExecutionEntry e = executions.held(execution);
            if (e != null) {
                index.unread(e, false); // ended before the runtime opened: its history says which wait again
            }
            return;
        }
        for (CallbackRef ref : refs) {
            synchronized (ref) {
                if (ref.status == OpStatus.FAILED
                        && ref.error != null
                        && CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE.equals(ref.error.type())) {
                    ref.status = OpStatus.STARTED;
                    ref.result = null;
                    ref.error = null;
                    ref.completedAt = null;
                }
            }
            if (ref.isPending()) {
                arm(ref);
            }
        }
    }
}
