package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A JVM the tests start: the application's class path, with the built agent jar where a scenario wants it. */
final class ChildJvm {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String APP = "dev.durable.it.agent.AgentApp";

    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private ChildJvm(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        outReader = reader(process.getInputStream(), line -> {
            stdout.add(line);
            unread.add(line);
        });
        errReader = reader(process.getErrorStream(), stderr::add);
    }

    /** The built, shaded agent jar. */
    static Path agentJar() {
        return Path.of(System.getProperty("durable.agent.jar"));
    }

    /**
     * The test class path as the application sees it: test classes, core, runtime, annotations, Jackson, SLF4J.
     * Without the agent module's own classes and without ByteBuddy, so the agent can only work from its jar.
     */
    static List<String> applicationClassPath() {
        Path classes = Path.of(System.getProperty("durable.agent.classes")).toAbsolutePath();
        Path jar = agentJar().toAbsolutePath();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .filter(entry -> {
                    Path p = Path.of(entry).toAbsolutePath();
                    return !p.equals(classes) && !p.equals(jar) && !isByteBuddy(p);
                })
                .collect(Collectors.toList());
    }

    /** ByteBuddy's own jar from the test class path (the version the agent shades). */
    static Path testByteBuddy() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().matches("byte-buddy-\\d.*\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("byte-buddy is not on the test class path"));
    }

    private static boolean isByteBuddy(Path entry) {
        return entry.getFileName() != null && entry.getFileName().toString().startsWith("byte-buddy");
    }

    /** Starts {@link #APP} with {@code jvmOptions}, the class path {@code classPath}, and {@code args}. */
    static ChildJvm start(List<String> jvmOptions, List<String> classPath, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(APP);
        command.addAll(List.of(args));
        return new ChildJvm(command);
    }

    /** Starts {@link #APP} with the agent as {@code -javaagent} and the application class path. */
    static ChildJvm withAgent(List<String> jvmOptions, String... args) throws IOException {
        List<String> options = new ArrayList<>();
        options.add("-javaagent:" + agentJar());
        options.addAll(jvmOptions);
        return start(options, applicationClassPath(), args);
    }

    /** Waits for the first unread line of standard output that {@code matches}; fails after {@link #TIMEOUT}. */
    String awaitLine(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String line = unread.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && matches.test(line)) {
                return line;
            }
            if (line == null && (!outReader.isAlive() || System.nanoTime() > deadline)) {
                throw new AssertionError("no matching line within " + TIMEOUT + "; stdout " + stdout + "; stderr "
                        + String.join("\n", stderr) + "; alive=" + process.isAlive());
            }
        }
    }

    /** Kills the JVM as a crash would (SIGKILL) and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("killed JVM exited").isTrue();
    }

    /** Waits for a normal exit (status 0) and returns everything the JVM printed. */
    Output finish() throws InterruptedException {
        boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        outReader.join(TIMEOUT.toMillis());
        errReader.join(TIMEOUT.toMillis());
        Output output = new Output(List.copyOf(stdout), String.join("\n", stderr));
        assertThat(exited).as("child JVM exited in time; %s", output).isTrue();
        assertThat(process.exitValue()).as("exit status; %s", output).isZero();
        return output;
    }

    /** What a child JVM printed. */
    record Output(List<String> stdout, String stderr) {
        /** The rest of the first line that starts with {@code prefix} and a space. */
        String line(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " line in " + this));
        }

        @Override
        public String toString() {
            return "stdout " + stdout + "\nstderr " + stderr;
        }
    }

    private static Thread reader(InputStream in, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-jvm-reader");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
