package dev.durable;

import java.util.List;
import java.util.Optional;

/**
 * Everything the journal holds about one execution: how it started and ended, and each operation in order. Built
 * by {@link DurableRuntime#describe}.
 *
 * @param info name, function, status and times
 * @param input the input as journaled (JSON by default)
 * @param result the result as journaled, when it succeeded
 * @param error the failure, when it failed; where its replay diverged, when it is {@link ExecutionStatus#BLOCKED}
 * @param operations each operation in the order it was first journaled
 */
public record ExecutionDetails(
        ExecutionInfo info, String input, String result, ErrorInfo error, List<OperationInfo> operations) {
    public ExecutionDetails {
        operations = List.copyOf(operations);
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
