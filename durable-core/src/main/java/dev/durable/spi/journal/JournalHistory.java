package dev.durable.spi.journal;

import dev.durable.CallbackTimeoutException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.OperationInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an execution's journal records as the API's typed views: {@link ExecutionDetails} and {@link HistoryEvent}.
 * Runtimes, the CLI and the test kit use it so that nobody parses record payloads by field name.
 *
 * <pre>{@code
 * List<JournalRecord> records = journal.read("order-42");
 * ExecutionDetails details = JournalHistory.details("order-42", records);
 * List<HistoryEvent> events = JournalHistory.events(records);
 * }</pre>
 */
public final class JournalHistory {
    private JournalHistory() {}

    /**
     * Reads an execution's records. The status of an unfinished execution is {@code WAITING} when one of its
     * operations is waiting (timer, callback, child execution, retry delay, poll), else {@code RUNNING}.
     */
    public static ExecutionDetails details(String executionName, List<JournalRecord> records) {
        return details(executionName, History.of(executionName, records), null);
    }

    public static ExecutionDetails details(String name, History h, ExecutionStatus live) {
        return details(name, h, live, null);
    }

    /**
     * The details of an execution with its live status; {@code blockedBy} (when it is {@code BLOCKED}) is where its
     * replay diverged, given as its error and, by its message, as the info's {@code blockedReason}.
     */
    public static ExecutionDetails details(String name, History h, ExecutionStatus live, ErrorInfo blockedBy) {
        List<OperationInfo> ops = new ArrayList<>();
        h.operations().forEach(op -> ops.add(operation(op)));
        ExecutionStatus status = live;
        if (status == null) {
            if (h.finished != null) {
                status = h.finished.status();
            } else {
                boolean waiting = h.operations().stream().anyMatch(JournalHistory::isWaiting);
                status = waiting ? ExecutionStatus.WAITING : ExecutionStatus.RUNNING;
            }
        }
        ExecutionInfo info = new ExecutionInfo(
                name,
                h.started.function(),
                h.started.functionVersion(),
                status,
                h.started.at(),
                h.finished == null ? null : h.finished.at(),
                h.started.parent(),
                blockedBy == null ? null : blockedBy.message());
        return new ExecutionDetails(
                info,
                h.started.input(),
                h.finished == null ? null : h.finished.result(),
                h.finished == null ? blockedBy : h.finished.error(),
                ops);
    }

    /** A timer, callback, child execution, retry delay or poll that has not come due or been answered. */
    private static boolean isWaiting(OpState op) {
        if (op.status == OpStatus.RETRY) {
            return true;
        }
        return op.status == OpStatus.STARTED
                && (op.type == OpType.WAIT || op.type == OpType.CALLBACK || op.type == OpType.INVOKE);
    }

    /**
     * The typed history of one execution's journal records, in order: for tools that read a journal without a
     * runtime (the CLI, the test kit). A runtime's {@code DurableRuntime.history} returns the same.
     */
    public static List<HistoryEvent> events(List<JournalRecord> records) {
        List<HistoryEvent> out = new ArrayList<>(records.size());
        Map<String, OpType> types = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        // decoded once; a batch's record comes after its branches', so every operation's kind is known first
        OpEvent[] events = new OpEvent[records.size()];
        for (int i = 0; i < events.length; i++) {
            JournalRecord r = records.get(i);
            if (r.type() == RecordType.OPERATION) {
                OpEvent e = EventCodec.readOperation(r);
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
                    ExecutionEvent e = EventCodec.readExecution(r);
                    out.add(new HistoryEvent(
                            seq,
                            e.at(),
                            HistoryEvent.Kind.EXECUTION_STARTED,
                            null,
                            e.parentOperation(),
                            e.function(),
                            null,
                            null,
                            null,
                            e.input(),
                            null,
                            null,
                            null,
                            e.parent()));
                }
                case EXECUTION_FINISHED -> {
                    ExecutionEvent e = EventCodec.readExecution(r);
                    HistoryEvent.Kind kind = switch (e.status()) {
                        case SUCCEEDED -> HistoryEvent.Kind.EXECUTION_SUCCEEDED;
                        case CANCELLED -> HistoryEvent.Kind.EXECUTION_CANCELLED;
                        default -> HistoryEvent.Kind.EXECUTION_FAILED;
                    };
                    out.add(new HistoryEvent(
                            seq,
                            e.at(),
                            kind,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            e.result(),
                            e.error(),
                            null,
                            null,
                            null));
                }
                case EXECUTION_RETRIED -> {
                    ExecutionEvent e = EventCodec.readExecution(r);
                    out.add(new HistoryEvent(
                            seq,
                            e.at(),
                            HistoryEvent.Kind.EXECUTION_RETRIED,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null));
                }
                case OPERATION -> {
                    OpEvent e = events[i];
                    String id = r.operationId();
                    String parent = parentOf(id);
                    out.add(new HistoryEvent(
                            seq,
                            e.at(),
                            kind(e),
                            id,
                            parent,
                            e.name(),
                            e.type().name(),
                            subType(e.type(), e.name(), parent == null ? null : types.get(parent), id, types, names),
                            e.attempt(),
                            e.result(),
                            e.error(),
                            e.until(),
                            e.callbackId(),
                            e.child()));
                }
            }
        }
        return out;
    }

    private static OperationInfo operation(OpState op) {
        return new OperationInfo(
                op.id,
                op.type.name(),
                op.name,
                op.status == null ? "STARTED" : op.status.name(),
                op.attempt,
                op.startedAt,
                op.updatedAt,
                op.result,
                op.error,
                op.until,
                op.callbackId,
                op.child,
                op.attempts);
    }

    private static HistoryEvent.Kind kind(OpEvent e) {
        return switch (e.status()) {
            case STARTED -> HistoryEvent.Kind.OPERATION_STARTED;
            case SUCCEEDED -> HistoryEvent.Kind.OPERATION_SUCCEEDED;
            case RETRY -> HistoryEvent.Kind.OPERATION_RETRYING;
            case HEARTBEAT -> HistoryEvent.Kind.CALLBACK_HEARTBEAT;
            case FAILED ->
                e.error() != null
                                && CallbackTimeoutException.class
                                        .getName()
                                        .equals(e.error().type())
                        ? HistoryEvent.Kind.OPERATION_TIMED_OUT
                        : HistoryEvent.Kind.OPERATION_FAILED;
        };
    }

    static String parentOf(String id) {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? null : id.substring(0, slash);
    }

    /** The operation kind as its user wrote it, from its type and where it sits. */
    static String subType(
            OpType type,
            String name,
            OpType parentType,
            String id,
            Map<String, OpType> types,
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
        return types.get(previous) == OpType.CALLBACK && name.equals(names.get(previous) + ".submit");
    }
}
