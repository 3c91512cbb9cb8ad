package dev.durable.core;

import dev.durable.core.journal.JournalRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
public record HistoryEvent(int sequence, Instant at, Kind kind, String operationId, String parentId, String name,
                           String operationType, String subType, Integer attempt, String result, ErrorInfo error,
                           Instant until, String callbackId, String childExecution) {

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

    /**
     * The typed history of one execution's journal records, in order: for tools that read a journal without a
     * runtime (the CLI, the test kit). A runtime's {@link DurableRuntime#history} returns the same.
     */
    public static List<HistoryEvent> fromRecords(List<JournalRecord> records) {
        List<HistoryEvent> out = new ArrayList<>(records.size());
        Map<String, OpType> types = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        // decoded once; a batch's record comes after its branches', so every operation's kind is known first
        OpEvent[] events = new OpEvent[records.size()];
        for (int i = 0; i < events.length; i++) {
            JournalRecord r = records.get(i);
            if (r.type() == dev.durable.core.journal.RecordType.OPERATION) {
                OpEvent e = Codec.readOperation(r);
                events[i] = e;
                types.putIfAbsent(r.operationId(), e.type());
                names.putIfAbsent(r.operationId(), e.name());
            }
        }
        for (int i = 0; i < events.length; i++) {
            JournalRecord r = records.get(i);
            int seq = out.size();
            switch (r.type()) {
                case EXECUTION_STARTED -> {
                    ExecutionEvent e = Codec.readExecution(r);
                    out.add(new HistoryEvent(seq, e.at(), Kind.EXECUTION_STARTED, null, e.parentOperation(), e.function(),
                            null, null, null, e.input(), null, null, null, e.parent()));
                }
                case EXECUTION_FINISHED -> {
                    ExecutionEvent e = Codec.readExecution(r);
                    Kind kind = switch (e.status()) {
                        case SUCCEEDED -> Kind.EXECUTION_SUCCEEDED;
                        case CANCELLED -> Kind.EXECUTION_CANCELLED;
                        default -> Kind.EXECUTION_FAILED;
                    };
                    out.add(new HistoryEvent(seq, e.at(), kind, null, null, null, null, null, null, e.result(),
                            e.error(), null, null, null));
                }
                case EXECUTION_RETRIED -> {
                    ExecutionEvent e = Codec.readExecution(r);
                    out.add(new HistoryEvent(seq, e.at(), Kind.EXECUTION_RETRIED, null, null, null, null, null, null,
                            null, null, null, null, null));
                }
                case OPERATION -> {
                    OpEvent e = events[i];
                    String id = r.operationId();
                    String parent = parentOf(id);
                    out.add(new HistoryEvent(seq, e.at(), kind(e), id, parent, e.name(), e.type().name(),
                            subType(e.type(), e.name(), parent == null ? null : types.get(parent), id, types, names),
                            e.attempt(), e.result(), e.error(), e.until(), e.callbackId(), e.child()));
                }
            }
        }
        return out;
    }

    /** Whether this is the start of an at-most-once step attempt (the only STARTED record a step gets). */
    public boolean isStepAttemptStart() {
        return kind == Kind.OPERATION_STARTED && "STEP".equals(operationType);
    }

    /** Whether this event is about an execution as a whole rather than one of its operations. */
    public boolean isExecutionEvent() {
        return operationId == null;
    }

    private static Kind kind(OpEvent e) {
        return switch (e.status()) {
            case STARTED -> Kind.OPERATION_STARTED;
            case SUCCEEDED -> Kind.OPERATION_SUCCEEDED;
            case RETRY -> Kind.OPERATION_RETRYING;
            case HEARTBEAT -> Kind.CALLBACK_HEARTBEAT;
            case FAILED -> e.error() != null && CallbackTimeoutException.class.getName().equals(e.error().type())
                    ? Kind.OPERATION_TIMED_OUT : Kind.OPERATION_FAILED;
        };
    }

    static String parentOf(String id) {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? null : id.substring(0, slash);
    }

    /** The operation kind as its user wrote it, from its type and where it sits. */
    static String subType(OpType type, String name, OpType parentType, String id, Map<String, OpType> types,
                          Map<String, String> names) {
        return switch (type) {
            case STEP -> isSubmitter(name, id, types, names) ? "wait-for-callback submitter" : "step";
            case WAIT -> "wait";
            case CALLBACK -> "callback";
            case CONTEXT -> "child context";
            case PARALLEL -> "parallel";
            case MAP -> "map";
            case BRANCH -> parentType == OpType.MAP ? "map item" : "parallel branch";
            case INVOKE -> "invoke";
            case WAIT_FOR_CONDITION -> "wait-for-condition";
            case NOW -> "now";
            case PATCH -> "patch";
        };
    }

    /** A step named {@code <callback>.submit} right after that callback is the submitter of a waitForCallback. */
    private static boolean isSubmitter(String name, String id, Map<String, OpType> types, Map<String, String> names) {
        if (name == null || !name.endsWith(".submit")) {
            return false;
        }
        String parent = parentOf(id);
        String last = parent == null ? id : id.substring(parent.length() + 1);
        int n;
        try {
            n = Integer.parseInt(last);
        } catch (NumberFormatException e) {
            return false;
        }
        String previous = (parent == null ? "" : parent + "/") + (n - 1);
        return types.get(previous) == OpType.CALLBACK
                && name.equals(names.get(previous) + ".submit");
    }
}
