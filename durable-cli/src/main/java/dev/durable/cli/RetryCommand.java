package dev.durable.cli;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.OperationInfo;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "retry",
        header = "Run a failed execution again from its last successful operation.",
        description = {
            "The retry is journaled: operations that failed run again with fresh attempts, and"
                    + " everything that succeeded is replayed.",
            "The execution runs when the application next opens the journal and registers its function."
        })
final class RetryCommand extends JournalCommand {
    @Parameters(
            paramLabel = "EXECUTION",
            description = "The failed execution's name, as `list --status failed` shows it.")
    String execution;

    @Override
    public Integer call() {
        execution = executionName(execution);
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            live.get().retry(execution);
            out().println("execution '" + execution + "' runs again now in the application at "
                    + live.get().uri() + " (succeeded operations are replayed)");
            return ExitCodes.OK;
        }
        try (OpenJournal j = journal.open("retry it through the application (runtime.retry(name))")) {
            ExecutionDetails before = j.execution(execution);
            if (before.info().status() != ExecutionStatus.FAILED) {
                throw CommandFailure.refused(
                        "execution '" + execution + "' is " + before.info().status()
                                + "; only a FAILED execution can be retried (list --status failed shows them)");
            }
            List<OperationInfo> failed = before.operations().stream()
                    .filter(op -> "FAILED".equals(op.status()))
                    .toList();
            long kept = before.operations().stream()
                    .filter(op -> "SUCCEEDED".equals(op.status()))
                    .count();
            j.runtime().retry(execution);
            String from =
                    failed.isEmpty() ? "from its last operation" : "from operation " + Format.operation(failed.get(0));
            out().println("execution '" + execution + "' will run again " + from + " (" + kept + " succeeded "
                    + (kept == 1 ? "operation is" : "operations are") + " replayed) when the application next opens"
                    + " the journal and registers function '" + before.info().function() + "'");
        }
        return ExitCodes.OK;
    }
}
