package dev.durable.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "list",
        header = "List executions with status, function, start time and current operation.",
        description = {
            "The current operation is the latest one that has not succeeded: what the execution waits"
                    + " for, retries, or failed at.",
            "Reads the journal without changing anything (it works on a read-only copy), and only what was"
                    + " acknowledged: a journal the application has open is refused."
        })
final class ListCommand extends JournalCommand {
    @Option(
            names = "--status",
            split = ",",
            paramLabel = "STATUS",
            description = "Only executions with this status (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.")
    Set<ExecutionStatus> statuses;

    @Option(
            names = "--function",
            split = ",",
            paramLabel = "NAME",
            description = "Only executions of this durable function (repeatable or comma-separated).")
    Set<String> functions;

    @Option(names = "--json", description = "Print a JSON array for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<ExecutionDetails> all;
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            all = live.get().executions();
        } else {
            try (InspectedJournal j = journal.inspect("list executions through the application (runtime.list())")) {
                all = j.executions();
            }
        }
        List<ExecutionDetails> shown = all.stream()
                .filter(e -> statuses == null || statuses.contains(e.info().status()))
                .filter(e -> functions == null || functions.contains(e.info().function()))
                .toList();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            shown.forEach(e -> array.add(JsonView.summary(e)));
            JsonView.print(out(), array);
            return ExitCodes.OK;
        }
        if (shown.isEmpty()) {
            out().println(
                            statuses == null && functions == null
                                    ? "no executions in " + journal.path()
                                    : "no executions match the filters");
            return ExitCodes.OK;
        }
        Table table = new Table("EXECUTION", "FUNCTION", "STATUS", "STARTED", "CURRENT OPERATION");
        for (ExecutionDetails e : shown) {
            table.row(
                    e.info().name(),
                    Format.function(e.info()),
                    e.info().status().name(),
                    Format.instantShort(e.info().startedAt()),
                    e.info().status() == ExecutionStatus.BLOCKED && e.info().blockedReason() != null
                            ? Format.divergence(e.info().blockedReason())
                            : Format.currentOperation(e)
                                    .map(op -> Format.operation(op) + " (" + Timeline.state(op) + ")")
                                    .orElse("-"));
        }
        table.print(out());
        return ExitCodes.OK;
    }
}
