package dev.durable.core;

import dev.durable.core.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the journal holds about one execution: how it started and ended, and each operation in order. Built
 * by {@link DurableEngine#describe} or, without a runtime, from raw records by {@link #fromJournal}.
 *
 * @param info name, function, status and times
 * @param input the input as journaled (JSON by default)
 * @param result the result as journaled, when it succeeded
 * @param error the failure, when it failed
 * @param operations each operation in the order it was first journaled
 */
public record ExecutionDetails(ExecutionInfo info, String input, String result, ErrorInfo error,
                               List<OperationInfo> operations) {
    public ExecutionDetails {
        operations = List.copyOf(operations);
    }

    /**
     * Reads an execution's records. The status of an unfinished execution is {@code WAITING} when one of its
     * operations is waiting (timer, callback, child execution, retry delay, poll), else {@code RUNNING}.
     */
    public static ExecutionDetails fromJournal(String executionName, List<JournalRecord> records) {
        return of(executionName, History.of(executionName, records), null);
    }

    static ExecutionDetails of(String name, History h, ExecutionStatus live) {
        List<OperationInfo> ops = new ArrayList<>();
        h.operations().forEach(op -> ops.add(OperationInfo.of(op)));
        ExecutionStatus status = live;
        if (status == null) {
            if (h.finished != null) {
                status = h.finished.status();
            } else {
                boolean waiting = h.operations().stream().anyMatch(ExecutionDetails::isWaiting);
                status = waiting ? ExecutionStatus.WAITING : ExecutionStatus.RUNNING;
            }
        }
        ExecutionInfo info = new ExecutionInfo(name, h.started.function(), h.started.functionVersion(), status, h.started.at(),
                h.finished == null ? null : h.finished.at(), h.started.parent());
        return new ExecutionDetails(info, h.started.input(),
                h.finished == null ? null : h.finished.result(), h.finished == null ? null : h.finished.error(), ops);
    }

    /** A timer, callback, child execution, retry delay or poll that has not come due or been answered. */
    private static boolean isWaiting(OpState op) {
        if (op.status == OpStatus.RETRY) {
            return true;
        }
        return op.status == OpStatus.STARTED
                && (op.type == OpType.WAIT || op.type == OpType.CALLBACK || op.type == OpType.INVOKE);
    }

    /** The operation with this id, or else the first with this name. */
    public Optional<OperationInfo> operation(String idOrName) {
        for (OperationInfo op : operations) {
            if (op.id().equals(idOrName)) {
                return Optional.of(op);
            }
        }
        return operations.stream().filter(op -> op.name().equals(idOrName)).findFirst();
    }

    /** The operations with this name, in order (a name may repeat, e.g. in a loop). */
    public List<OperationInfo> operations(String name) {
        return operations.stream().filter(op -> op.name().equals(name)).toList();
    }
}
