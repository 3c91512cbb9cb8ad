package dev.durable.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a sample's processes one after another, echoing their output, as an operator at a terminal would. */
public final class ProcessScript {
    private final Class<?> main;
    private final List<String> jvmOptions;

    public ProcessScript(Class<?> main, List<String> jvmOptions) {
        this.main = main;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the program with {@code args} in a new JVM on this class path. */
    public Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Echoes the process's output until a line starting with {@code marker}, which it returns; then keeps echoing. */
    public static String echoUntil(Process p, String marker) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            System.out.println("   | " + line);
            if (line.startsWith(marker)) {
                Thread drain = new Thread(() -> {
                    try {
                        r.lines().forEach(l -> System.out.println("   | " + l));
                    } catch (UncheckedIOException closed) {
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

    /** SIGKILL: no shutdown hooks, nothing flushed; what the journal acknowledged is all that survives. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    public static void await(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the process did not end within 60 s");
        }
    }

    /** Removes a previous run's journal so the demo starts fresh. */
    public static void deleteRecursively(Path dir) throws IOException {
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
