package dev.durable.samples.orders;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
        deleteRecursively(dir);
        Files.deleteIfExists(effects);

        System.out.println("== 1. start order-42, then kill -9 the process while it cools off");
        Process first = launch("start", dir.toString());
        pipeUntil(first, "STATUS");
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        System.out.println("   (process killed with SIGKILL)");

        System.out.println("== 2. restart: the journal replays reserve and charge; the order waits for the manager");
        Process second = launch("resume", dir.toString());
        String callback = pipeUntil(second, "CALLBACK").substring("CALLBACK ".length());
        second.waitFor(60, TimeUnit.SECONDS);

        System.out.println("== 3. the manager approves: complete callback " + callback + " from another process");
        Process third = launch("approve", dir.toString(), callback);
        pipeUntil(third, "RECEIPT");
        third.waitFor(60, TimeUnit.SECONDS);

        System.out.println("== side effects, as the services saw them (" + effects + "):");
        List<String> lines = Files.readAllLines(effects);
        lines.forEach(l -> System.out.println("   " + l));
        long charges = lines.stream().filter(l -> l.startsWith("charge")).count();
        System.out.println("== the card was charged " + charges + " time(s); the journal is in " + dir);
        if (charges != 1 || lines.stream().noneMatch(l -> l.startsWith("ship"))) {
            throw new IllegalStateException("the demo did not end as expected: " + lines);
        }
    }

    private static Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OrderApp.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Echoes the child's output until a line starting with {@code marker}, which it returns. */
    private static String pipeUntil(Process p, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            System.out.println("   | " + line);
            if (line.startsWith(marker)) {
                Thread drain = new Thread(() -> {
                    try {
                        r.lines().forEach(l -> System.out.println("   | " + l));
                    } catch (java.io.UncheckedIOException closed) {
                        // the process was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line;
            }
        }
        throw new IllegalStateException("the process ended before printing " + marker);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
