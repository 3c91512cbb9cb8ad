package dev.durable.samples.orders;

import dev.durable.samples.ProcessScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the order service through a crash and two restarts, each a separate JVM on the same journal directory:
 * <ol>
 *   <li>start order-42; once it is cooling off the process is killed with SIGKILL;</li>
 *   <li>a new process opens the journal: completed steps are replayed, not re-run; it asks the manager and stops;</li>
 *   <li>an operator's process completes the manager's callback and the order ships.</li>
 * </ol>
 * Finally it prints the side-effect log: each service call happened once.
 */
public final class OrderDemo {
    private OrderDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/demo-journal").toAbsolutePath();
        Path effects = dir.resolveSibling(dir.getFileName() + "-effects.log");
        ProcessScript.deleteRecursively(dir);
        Files.deleteIfExists(effects);
        ProcessScript app = new ProcessScript(OrderApp.class, List.of());

        System.out.println("== 1. start order-42, then kill -9 the process while it cools off");
        Process first = app.launch("start", dir.toString());
        ProcessScript.echoUntil(first, "STATUS");
        ProcessScript.kill(first);
        System.out.println("   (process killed with SIGKILL)");

        System.out.println("== 2. restart: the journal replays reserve and charge; the order waits for the manager");
        Process second = app.launch("resume", dir.toString());
        String callback = ProcessScript.echoUntil(second, "CALLBACK").substring("CALLBACK ".length());
        ProcessScript.await(second);

        System.out.println("== 3. the manager approves: complete callback " + callback + " from another process");
        Process third = app.launch("approve", dir.toString(), callback);
        ProcessScript.echoUntil(third, "RECEIPT");
        ProcessScript.await(third);

        System.out.println("== side effects, as the services saw them (" + effects + "):");
        List<String> lines = Files.readAllLines(effects);
        lines.forEach(l -> System.out.println("   " + l));
        long charges = lines.stream().filter(l -> l.startsWith("charge")).count();
        System.out.println("== the card was charged " + charges + " time(s); the journal is in " + dir);
        if (charges != 1 || lines.stream().noneMatch(l -> l.startsWith("ship"))) {
            throw new IllegalStateException("the demo did not end as expected: " + lines);
        }
    }
}
