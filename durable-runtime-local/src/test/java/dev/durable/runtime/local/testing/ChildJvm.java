package dev.durable.runtime.local.testing;

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
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A JVM that a test starts, by default on the test class path, whose lines of standard output the test waits for,
 * and which it can kill with SIGKILL: no shutdown hooks, no flushing, as a power cut is for the process. Standard
 * error is kept apart. Every failure (a line that never comes, a child that does not exit in time or exits with
 * another status) names everything the child printed to both.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.builder(Worker.class).jvmOptions("-Xmx256m").args(dir.toString()).start()) {
 *     child.await("READY");
 *     child.kill();
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
    /** How long {@link #await}, {@link #kill} and {@link #awaitExit} wait, unless {@link Builder#timeout} says. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final String EXIT = "\u0000exit";

    private final Process process;
    private final Duration timeout;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;
    private boolean exited;

    private ChildJvm(List<String> command, Duration timeout) throws IOException {
        this.process = new ProcessBuilder(command).start();
        this.timeout = timeout;
        outReader = read(
                process.getInputStream(),
                line -> {
                    synchronized (stdout) {
                        stdout.add(line);
                    }
                    unread.add(line);
                },
                () -> unread.add(EXIT));
        errReader = read(
                process.getErrorStream(),
                line -> {
                    synchronized (stderr) {
                        stderr.add(line);
                    }
                },
                () -> {});
    }

    /** A child JVM that runs {@code main}. */
    public static Builder builder(Class<?> main) {
        return builder(main.getName());
    }

    /** A child JVM that runs the class named {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** Starts {@code main} with {@code args} on the test class path. */
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        return builder(main).args(args).start();
    }

    /** The entries of this JVM's class path (under Maven, the test class path). */
    public static List<String> testClassPath() {
        return testClassPath(entry -> true);
    }

    /** The entries of this JVM's class path that {@code keep} accepts. */
    public static List<String> testClassPath(Predicate<String> keep) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .filter(keep)
                .toList();
    }

    /** What a child JVM runs and how: its options, class path, arguments and how long the test waits for it. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private List<String> classPath;
        private Predicate<String> classPathFilter = entry -> true;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** Adds JVM options, such as {@code -javaagent:...}, {@code -Dname=value} or {@code -Xmx256m}. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        /** Adds JVM options, such as {@code -javaagent:...}, {@code -Dname=value} or {@code -Xmx256m}. */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** The class path entries to run with, instead of the test class path. */
        public Builder classPath(List<String> entries) {
            classPath = List.copyOf(entries);
            return this;
        }

        /** Keeps only the class path entries that {@code keep} accepts. */
        public Builder classPathFilter(Predicate<String> keep) {
            classPathFilter = Objects.requireNonNull(keep, "keep");
            return this;
        }

        /** Adds arguments for the main class. */
        public Builder args(String... arguments) {
            return args(List.of(arguments));
        }

        /** Adds arguments for the main class. */
        public Builder args(List<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        /** How long to wait for a line, for the child to exit, or for it to go after a kill. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public ChildJvm start() throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            List<String> entries = classPath != null ? classPath : testClassPath();
            command.add(String.join(
                    File.pathSeparator, entries.stream().filter(classPathFilter).toList()));
            command.add(mainClass);
            command.addAll(args);
            return new ChildJvm(command, timeout);
        }
    }

    /** Waits for the next unread line that starts with {@code prefix}; fails if none comes. */
    public String await(String prefix) throws InterruptedException {
        return await(line -> line.startsWith(prefix));
    }

    /**
     * Waits for the next unread line that {@code matches}, passing over the others; fails, with all the child
     * printed, if the child exits first or none comes in time.
     */
    public String await(Predicate<String> matches) throws InterruptedException {
        String line = awaitAny(matches);
        if (line == null) {
            throw new AssertionError("the child exited without printing the expected line; " + this);
        }
        return line;
    }

    /** As {@link #await(Predicate)}, but returns {@code null} once the child has exited. */
    public String awaitAny(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!exited) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no expected line within " + timeout + "; " + this);
            }
            if (line.equals(EXIT)) {
                exited = true;
            } else if (matches.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Closes the child's standard input, so that a child reading it sees its end. */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Kills the JVM with SIGKILL and waits until it is gone and all it printed has been read. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the killed child did not go away; " + this);
        }
        drain();
    }

    /**
     * Waits for the JVM to exit by itself and returns its status, once all it printed has been read; kills it and
     * fails if it does not exit in time.
     */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            drain();
            throw new AssertionError("the child did not exit within " + timeout + "; " + this);
        }
        drain();
        return process.exitValue();
    }

    /** Waits for the JVM to exit by itself with status 0. */
    public void awaitCleanExit() throws InterruptedException {
        int status = awaitExit();
        if (status != 0) {
            throw new AssertionError("the child exited with status " + status + "; " + this);
        }
    }

    /** Waits for the JVM to exit by itself with status 0 and returns everything it printed. */
    public Output finish() throws InterruptedException {
        awaitCleanExit();
        return output();
    }

    /** Everything the child has printed so far. */
    public Output output() {
        return new Output(stdout(), String.join("\n", stderr()));
    }

    /** The lines the child has printed to standard output so far. */
    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** The lines the child has printed to standard error so far. */
    public List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the JVM if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "child " + process.pid() + " (" + (process.isAlive() ? "alive" : "exited") + ") printed " + output();
    }

    /**
     * What a child JVM printed.
     *
     * @param stdout the lines of standard output
     * @param stderr standard error, its lines joined by newlines
     */
    public record Output(List<String> stdout, String stderr) {
        /** The rest of the first line that starts with {@code prefix} and a space. */
        public String line(String prefix) {
            return stdout.stream()
                    .filter(l -> l.startsWith(prefix + " "))
                    .map(l -> l.substring(prefix.length() + 1))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + " line in " + this));
        }

        @Override
        public String toString() {
            return "stdout " + stdout + "\nstderr " + stderr;
        }
    }

    /** Waits for the readers to reach the end of the output of a child that has gone. */
    private void drain() throws InterruptedException {
        outReader.join(timeout.toMillis());
        errReader.join(timeout.toMillis());
    }

    private static Thread read(InputStream in, Consumer<String> sink, Runnable atEnd) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        // the process is gone; what it printed is kept
                    } finally {
                        atEnd.run();
                    }
                },
                "child-jvm-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
