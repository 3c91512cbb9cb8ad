package dev.durable.systemtests;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JVM started by a test on the test class path (optionally with {@code -javaagent}), whose output lines the test
 * waits for, and which it kills with SIGKILL: no shutdown hooks, no flushing, as a power cut is for the process.
 */
final class ChildJvm implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String EXIT = "\u0000exit";

    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private boolean exited;

    private ChildJvm(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        read(process.getInputStream(), line -> {
            stdout.add(line);
            unread.add(line);
        }, () -> unread.add(EXIT));
        read(process.getErrorStream(), stderr::add, () -> { });
    }

    /** Starts {@code main} with {@code args} on the test class path, less the agent jar. */
    static ChildJvm start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /** Starts {@code main} with extra JVM options, such as {@code -javaagent:...}. */
    static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast rather than peak
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(command);
    }

    /** The built agent jar, as the build passes it in {@code durable.agent.jar}. */
    static Path agentJar() {
        String jar = System.getProperty("durable.agent.jar");
        if (jar == null || jar.isEmpty()) {
            throw new IllegalStateException("the system property durable.agent.jar is not set: run this test through"
                    + " Maven (mvn verify), which builds the agent first and passes the jar's path");
        }
        return Path.of(jar);
    }

    /** The test class path without the agent's jar: with the agent, the application sees it only as the agent. */
    private static String classPath() {
        return String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path")
                        .split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty() && !Path.of(entry).getFileName().toString().startsWith("durable-agent"))
                .toList());
    }

    /** Waits for the next unread line that {@code matches}; fails, with all the child printed, if none comes. */
    String await(Predicate<String> matches) throws InterruptedException {
        String line = awaitAny(matches);
        if (line == null) {
            throw new AssertionError("the child exited without printing the expected line; " + this);
        }
        return line;
    }

    /** As {@link #await}, but returns {@code null} once the child has exited. */
    String awaitAny(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!exited) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no expected line within " + TIMEOUT + "; " + this);
            }
            if (line.equals(EXIT)) {
                exited = true;
            } else if (matches.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Kills the JVM with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the killed child did not go away; " + this);
        }
    }

    /** Waits for the JVM to exit by itself with status 0. */
    void awaitCleanExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not exit within " + TIMEOUT + "; " + this);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the child exited with status " + process.exitValue() + "; " + this);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Everything the child printed to standard output so far. */
    List<String> stdout() {
        return List.copyOf(stdout);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        List<String> out = stdout();
        List<String> tail = out.subList(Math.max(0, out.size() - 40), out.size());
        return "child " + process.pid() + " (alive=" + process.isAlive() + ") printed " + out.size()
                + " lines, the last: " + tail + "; stderr: " + String.join("\n", stderr);
    }

    private static void read(InputStream in, Consumer<String> sink, Runnable atEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process is gone; what it printed is kept
            } finally {
                atEnd.run();
            }
        }, "child-jvm-output");
        thread.setDaemon(true);
        thread.start();
    }
}
