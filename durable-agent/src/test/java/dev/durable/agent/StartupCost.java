package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.local.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures what the agent adds to starting a JVM: the median wall time, from process start to exit, of a tiny main
 * and of a small durable program (one execution of two steps through a proxy, so it also runs without the agent),
 * each with and without {@code -javaagent}. Runs alternate so both variants see the same machine load.
 *
 * <p>{@code durable-agent/startup-cost.sh [runs]} runs it on its own; {@code StartupCostIT} runs it in the build.
 */
final class StartupCost {
    /** One program's medians, in milliseconds. */
    record Row(String program, long without, long with) {
        long added() {
            return with - without;
        }
    }

    private StartupCost() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println(table(measure(runs), runs));
    }

    static List<Row> measure(int runs) throws Exception {
        return List.of(row("tiny main", runs, "tiny"), row("durable run", runs, "proxy"));
    }

    static String table(List<Row> rows, int runs) {
        StringBuilder out =
                new StringBuilder(String.format("median of %d runs (ms)   without agent   with agent   added%n", runs));
        for (Row r : rows) {
            out.append(String.format("%-24s %13d %12d %7d%n", r.program(), r.without(), r.with(), r.added()));
        }
        return out.toString();
    }

    private static Row row(String program, int runs, String scenario) throws Exception {
        long[] without = new long[runs];
        long[] with = new long[runs];
        List<String> agent = List.of("-javaagent:" + AgentJvm.agentJar());
        for (int i = 0; i < runs; i++) {
            without[i] = millis(List.of(), scenario);
            with[i] = millis(agent, scenario);
        }
        return new Row(program, median(without), median(with));
    }

    private static long millis(List<String> options, String scenario) throws Exception {
        Path dir = Files.createTempDirectory("durable-startup");
        List<String> jvm = new ArrayList<>(options);
        jvm.add("-Ddurable.it.counters=" + dir.resolve("counters.txt"));
        long start = System.nanoTime();
        ChildJvm.Output output = AgentJvm.start(
                        jvm,
                        AgentJvm.applicationClassPath(),
                        scenario,
                        dir.resolve("journal").toString())
                .finish();
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(output.stdout()).as("output of %s", scenario).isNotEmpty();
        return elapsed;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
