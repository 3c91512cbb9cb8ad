package dev.durable.testing;

import dev.durable.ExecutionDetails;
import dev.durable.OperationInfo;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** What an idle, unfinished execution is waiting for, as its journal tells. */
final class Pending {
    private Pending() {}

    /** A wait, a retry delay or a poll interval: something only time ends. */
    static boolean isTimer(OperationInfo op) {
        return !op.isDone()
                && op.waitUntil() != null
                && ("RETRY".equals(op.status()) || ("WAIT".equals(op.type()) && "STARTED".equals(op.status())));
    }

    /** A callback still waiting for the outside world (it may also have a timeout). */
    static boolean isCallback(OperationInfo op) {
        return "CALLBACK".equals(op.type()) && !op.isDone();
    }

    /** When the earliest timer of these executions is due, or {@code null} if none waits on time alone. */
    static Instant nextTimer(List<ExecutionDetails> executions) {
        Instant next = null;
        for (ExecutionDetails d : executions) {
            if (d.info().status().isTerminal()) {
                continue;
            }
            for (OperationInfo op : d.operations()) {
                if (isTimer(op) && (next == null || op.waitUntil().isBefore(next))) {
                    next = op.waitUntil();
                }
            }
        }
        return next;
    }

    /** The unfinished operations, e.g. {@code operation 4 CALLBACK 'approval' (callback id ..., timeout at ...)}. */
    static String describe(ExecutionDetails d) {
        List<String> ops = d.operations().stream()
                .filter(op -> !op.isDone())
                .map(Pending::describe)
                .toList();
        return ops.isEmpty() ? "no unfinished operation" : ops.stream().collect(Collectors.joining(", "));
    }

    static String describe(OperationInfo op) {
        StringBuilder b = new StringBuilder("operation ")
                .append(op.id())
                .append(' ')
                .append(op.type())
                .append(" '")
                .append(op.name())
                .append("' ")
                .append(op.status());
        if (op.callbackId() != null) {
            b.append(" (callback id ").append(op.callbackId());
            if (op.waitUntil() != null) {
                b.append(", times out at ").append(op.waitUntil());
            }
            b.append(')');
        } else if (op.childExecution() != null) {
            b.append(" (child execution '").append(op.childExecution()).append("')");
        } else if (op.waitUntil() != null) {
            b.append(" (due at ").append(op.waitUntil()).append(')');
        }
        return b.toString();
    }
}
