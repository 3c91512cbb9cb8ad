package dev.durable.cli;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.OperationInfo;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.spi.journal.JournalHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A journal opened by a command: the runtime (with no function registered, so nothing runs) and what the journal
 * says about each execution. Statuses come from the journal ({@link ExecutionDetails#fromJournal}), not from the
 * idle runtime: an unfinished execution is WAITING when one of its operations waits, else RUNNING (it was running
 * when the application stopped, or what it waited for has arrived).
 */
final class OpenJournal implements AutoCloseable {
    private final Path directory;
    private final LocalRuntime runtime;

    OpenJournal(Path directory, LocalRuntime runtime) {
        this.directory = directory;
        this.runtime = runtime;
    }

    Path directory() {
        return directory;
    }

    LocalRuntime runtime() {
        return runtime;
    }

    FileJournal fileJournal() {
        return (FileJournal) runtime.journal();
    }

    /** Every execution, in the order they were started. */
    List<ExecutionDetails> executions() {
        List<ExecutionDetails> all = new ArrayList<>();
        for (ExecutionInfo info : runtime.list()) {
            all.add(read(info.name()));
        }
        return all;
    }

    /**
     * One execution.
     *
     * @throws dev.durable.UnknownExecutionException if the journal has none of that name
     */
    ExecutionDetails execution(String name) {
        runtime.execution(name); // names the problem if there is no such execution
        return read(name);
    }

    /** What the journal says, with no live status: WAITING while a timer, callback, child or retry is pending. */
    private ExecutionDetails read(String name) {
        return JournalHistory.details(name, runtime.journal().read(name));
    }

    /** A callback operation and the execution it belongs to. */
    record CallbackAt(ExecutionDetails execution, OperationInfo operation) {}

    /** Where the callback with this id is, if any execution created it. */
    Optional<CallbackAt> callback(String callbackId) {
        for (ExecutionDetails e : executions()) {
            for (OperationInfo op : e.operations()) {
                if (callbackId.equals(op.callbackId())) {
                    return Optional.of(new CallbackAt(e, op));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code callback ID (operation 3 CALLBACK 'approval' of execution 'order-1')}, or just the id if unknown. */
    String describeCallback(String callbackId) {
        return callback(callbackId)
                .map(at -> "callback " + callbackId + " (operation " + Format.operation(at.operation())
                        + " of execution '" + at.execution().info().name() + "')")
                .orElse("callback " + callbackId);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
