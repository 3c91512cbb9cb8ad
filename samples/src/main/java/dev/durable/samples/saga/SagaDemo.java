package dev.durable.samples.saga;

import dev.durable.samples.ProcessScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the trip-booking saga with the agent only (plain {@code new}): two trips start, one books, the other's flight
 * fails; the process is killed with SIGKILL while that flight waits for its retry; a new process resumes, the flight
 * fails for good and the hotel and payment are compensated, each exactly once.
 */
public final class SagaDemo {
    private SagaDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/saga-journal").toAbsolutePath();
        Path log = dir.resolveSibling(dir.getFileName() + "-services.log");
        String agent = System.getProperty("durable.agent.jar", "durable-agent/target/durable-agent.jar");
        if (!Files.isRegularFile(Path.of(agent))) {
            throw new IllegalStateException("the agent jar " + agent + " does not exist; build it with"
                    + " mvn -q -DskipTests -pl durable-agent -am package, or pass -Ddurable.agent.jar=PATH");
        }
        ProcessScript.deleteRecursively(dir);
        Files.deleteIfExists(log);
        ProcessScript app = new ProcessScript(SagaApp.class, List.of("-javaagent:" + agent));

        System.out.println(
                "== 1. two trips start (plain new TripBooking, woven by -javaagent); kill -9 during a retry delay");
        Process first = app.launch("start", dir.toString());
        ProcessScript.echoUntil(first, "STATUS");
        ProcessScript.kill(first);

        System.out.println("== 2. restart: the flight is retried, fails for good, and the saga compensates");
        Process second = app.launch("resume", dir.toString());
        ProcessScript.echoUntil(second, "RESULT");
        ProcessScript.await(second);

        System.out.println("== service calls (" + log + "):");
        List<String> lines = Files.readAllLines(log);
        lines.forEach(l -> System.out.println("   " + l));
        if (lines.stream().filter(l -> l.startsWith("wallet: refund")).count() != 1
                || lines.stream().filter(l -> l.startsWith("hotel: cancel")).count() != 1
                || lines.stream().filter(l -> l.startsWith("wallet: debit")).count() != 2) {
            throw new IllegalStateException("the demo did not end as expected: " + lines);
        }
        System.out.println("== one refund, one cancellation, each debit once");
    }
}
