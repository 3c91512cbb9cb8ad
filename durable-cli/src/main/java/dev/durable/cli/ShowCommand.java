package dev.durable.cli;

import dev.durable.ExecutionDetails;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        header = "Show one execution as a timeline of its operations.",
        description = {
            "Each operation with its type, name, status, attempts, duration, what it waits for,"
                    + " callback ids (to complete them), results, and errors with the first lines of their stack.",
            "Reads the journal without changing anything (it works on a read-only copy), and only what was"
                    + " acknowledged: a journal the application has open is refused."
        })
final class ShowCommand extends JournalCommand {
    @Parameters(paramLabel = "EXECUTION", description = "The execution's name, as `list` shows it.")
    String execution;

    @Option(names = "--json", description = "Print everything the journal holds as JSON, full stacks included.")
    boolean json;

    @Option(
            names = "--stack-lines",
            paramLabel = "N",
            defaultValue = "3",
            description = "Stack lines shown under each error (default: ${DEFAULT-VALUE}).")
    int stackLines;

    @Override
    public Integer call() {
        execution = executionName(execution);
        if (stackLines < 0) {
            throw CommandFailure.usage("--stack-lines must be 0 or more, was " + stackLines);
        }
        ExecutionDetails details;
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            details = live.get().execution(execution);
        } else {
            try (InspectedJournal j = journal.inspect("inspect it through the application (runtime.describe(name))")) {
                details = j.execution(execution);
            }
        }
        if (json) {
            JsonView.print(out(), JsonView.execution(details));
        } else {
            new Timeline(stackLines, Instant.now()).print(out(), details);
        }
        return ExitCodes.OK;
    }
}
