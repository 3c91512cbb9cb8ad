package dev.durable.spi.plugin;

import java.time.Instant;
import java.util.List;

/**
 * One journal write: the operations it changed, as a delta.
 *
 * @param execution which execution
 * @param operations the changes, in journal order
 */
public record OperationChange(ExecutionRef execution, List<Changed> operations) {
    public OperationChange {
        operations = List.copyOf(operations);
    }

    /**
     * One operation's change.
     *
     * @param id the operation id
     * @param kind its journal type
     * @param name its name
     * @param status its new status: STARTED, SUCCEEDED, FAILED, RETRY or HEARTBEAT
     * @param at when it changed
     * @param attempt the attempt or poll, or 0
     */
    public record Changed(String id, String kind, String name, String status, Instant at, int attempt) {}
}
