package dev.durable.cli;

import dev.durable.ExecutionDetails;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fail",
        header = "Fail an execution that is BLOCKED because the code no longer matches its history.",
        description = {
            "A blocked execution keeps its history and resumes when code that matches it is deployed; fail it"
                    + " instead when that is not worth doing. It ends as FAILED with an error naming the operator's"
                    + " action, the reason and where its replay diverged; it can be retried like any failed execution.",
            "Only the running application knows that an execution is blocked (it ran the code): this command works"
                    + " through its admin endpoint (runtime.serveAdmin())."
        })
final class FailCommand extends JournalCommand {
    @Parameters(
            paramLabel = "EXECUTION",
            description = "The blocked execution's name, as `list --status blocked` shows it.")
    String execution;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "Why it is failed, kept in its error (default: none given).")
    String reason;

    @Override
    public Integer call() {
        execution = executionName(execution);
        Optional<LiveApplication> live = journal.live();
        if (live.isEmpty()) {
            throw CommandFailure.refused("execution '" + execution + "' can be failed only through the running"
                    + " application: whether it is BLOCKED is known only to the code that replays it (serve the"
                    + " application's admin endpoint with runtime.serveAdmin(), or call runtime.fail(name, reason));"
                    + " nothing was changed");
        }
        ExecutionDetails after = live.get().fail(execution, reason);
        out().println("failed execution '" + execution + "' through the running application at "
                + live.get().uri() + " (now " + after.info().status() + ": "
                + after.error().message() + ")");
        return ExitCodes.OK;
    }
}
