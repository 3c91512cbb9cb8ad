package dev.durable.cli;

import dev.durable.ExecutionDetails;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cancel",
        header = "Cancel an execution that has not finished.",
        description = {
            "The cancellation is journaled; the application does not resume the execution when it next"
                    + " opens the journal, and its result reports it as cancelled."
        })
final class CancelCommand extends JournalCommand {
    @Parameters(paramLabel = "EXECUTION", description = "The execution's name, as `list` shows it.")
    String execution;

    @Override
    public Integer call() {
        execution = executionName(execution);
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            ExecutionDetails after = live.get().cancel(execution);
            out().println("cancelled execution '" + execution + "' through the running application at "
                    + live.get().uri() + " (now " + after.info().status() + ")");
            return ExitCodes.OK;
        }
        try (OpenJournal j = journal.open("cancel it through the application (runtime.cancel(name))")) {
            ExecutionDetails before = j.execution(execution);
            if (before.info().status().isTerminal()) {
                throw CommandFailure.refused("execution '" + execution + "' has already ended ("
                        + before.info().status() + "); nothing was changed");
            }
            if (!j.runtime().cancel(execution)) {
                throw CommandFailure.refused(
                        "execution '" + execution + "' ended before it could be cancelled;" + " nothing was changed");
            }
            out().println("cancelled execution '" + execution + "' (it was "
                    + before.info().status()
                    + Format.currentOperation(before)
                            .map(op -> " at operation " + Format.operation(op))
                            .orElse("")
                    + ")");
        }
        return ExitCodes.OK;
    }
}
