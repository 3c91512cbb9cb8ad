package dev.durable.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * What {@link JournalReplayer} found: one {@link ExecutionReplay} per saved execution, in journal order.
 *
 * <pre>{@code
 * ReplayReport report = replayer.replay(Path.of("src/test/resources/journals/orders-v1"));
 * report.assertDeterministic();                       // or inspect report.problems()
 * }</pre>
 */
public final class ReplayReport {
    private final List<ExecutionReplay> executions;

    ReplayReport(List<ExecutionReplay> executions) {
        this.executions = List.copyOf(executions);
    }

    /** Every execution, in journal order. */
    public List<ExecutionReplay> executions() {
        return executions;
    }

    /**
     * The replay of one execution.
     *
     * @throws AssertionFailedError if the journal had no execution of that name
     */
    public ExecutionReplay execution(String name) {
        return executions.stream()
                .filter(e -> e.execution().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionFailedError("the replayed journal has no execution '" + name
                        + "'; it has "
                        + executions.stream().map(ExecutionReplay::execution).toList()));
    }

    /** The executions whose verdict is not OK. */
    public List<ExecutionReplay> problems() {
        return executions.stream().filter(e -> !e.isOk()).toList();
    }

    /** Whether every execution replayed OK (and there was at least one). */
    public boolean isDeterministic() {
        return !executions.isEmpty() && problems().isEmpty();
    }

    /**
     * Fails unless every execution replayed OK.
     *
     * @throws AssertionFailedError listing each execution that diverged, ended differently or was skipped, or if
     *     the journal held no execution at all
     */
    public ReplayReport assertDeterministic() {
        if (executions.isEmpty()) {
            throw new AssertionFailedError(
                    "the replayed journal holds no executions; check that it points at a saved" + " journal");
        }
        List<ExecutionReplay> problems = problems();
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("The current code does not replay ")
                    .append(problems.size())
                    .append(" of ")
                    .append(executions.size())
                    .append(" saved executions:\n");
            for (ExecutionReplay p : problems) {
                b.append("  - ").append(p).append('\n');
                if (p.verdict() == ExecutionReplay.Verdict.DIVERGED && p.message() != null) {
                    b.append("      ").append(p.message()).append('\n');
                }
            }
            b.append("Executions in flight when such code is deployed fail on their next replay. Keep the order, types"
                    + " and names of operations they already reached (add new operations only after them), or let them"
                    + " finish on the old code first.");
            throw new AssertionFailedError(b.toString());
        }
        return this;
    }

    /** A summary line, then one line per execution. */
    @Override
    public String toString() {
        Map<ExecutionReplay.Verdict, Long> counts = new TreeMap<>(
                executions.stream().collect(Collectors.groupingBy(ExecutionReplay::verdict, Collectors.counting())));
        StringBuilder b = new StringBuilder("Journal replay of ")
                .append(executions.size())
                .append(" executions: ")
                .append(counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", ")));
        executions.forEach(e -> b.append("\n  ").append(e));
        return b.toString();
    }
}
