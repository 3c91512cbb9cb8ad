package dev.durable.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The fixed baseline programs the engine is compared against, run as child processes in the same run and on the same
 * disk: {@code FsyncLimit.java} (raw {@code force} into a growing and into a preallocated file) and
 * {@code GroupCommitProbe.java} (the bare group-commit limit). They live outside the project so that they stay the
 * same while the engine changes; {@code --baselines DIR} names their folder, else {@code ../shared/bench} is used.
 */
final class Baselines {
    static final String FSYNC_LIMIT = "FsyncLimit";
    static final String GROUP_COMMIT_PROBE = "GroupCommitProbe";

    private static final Pattern PREALLOC = Pattern.compile("^prealloc records/s=(\\d+)", Pattern.MULTILINE);
    private static final Pattern GROWING = Pattern.compile("^batch=1 records/s=(\\d+)", Pattern.MULTILINE);
    private static final Pattern PROBE_ROUND =
            Pattern.compile("^round=1 .*steps/s=(\\d+) .*records/fsync=([\\d.]+)", Pattern.MULTILINE);

    private final Path source;
    private final Path classes;

    private Baselines(Path source, Path classes) {
        this.source = source;
        this.classes = classes;
    }

    /** One run of {@code FsyncLimit}: forces per second into a preallocated file and into a growing one. */
    record Force(double preallocated, double growing) {}

    /** One measured round of {@code GroupCommitProbe}. */
    record GroupCommit(double stepsPerSecond, double recordsPerForce) {}

    /**
     * Finds the baseline programs and compiles them into {@code work}; returns null, after saying why on stderr, when
     * they are missing or do not compile.
     */
    static Baselines locate(String explicit, Path work) throws IOException {
        List<Path> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(Path.of(explicit));
        } else {
            candidates.add(Path.of("..", "shared", "bench"));
            candidates.add(Path.of("..", "..", "shared", "bench"));
        }
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve(FSYNC_LIMIT + ".java"))
                    && Files.isRegularFile(dir.resolve(GROUP_COMMIT_PROBE + ".java"))) {
                return compile(dir.toAbsolutePath().normalize(), work);
            }
        }
        System.err.println("baseline programs " + FSYNC_LIMIT + ".java and " + GROUP_COMMIT_PROBE
                + ".java not found in " + candidates + "; pass --baselines DIR to compare against them");
        return null;
    }

    private static Baselines compile(Path source, Path work) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            System.err.println("this Java runtime has no compiler, so the baselines in " + source
                    + " cannot be built: run the benchmarks with a JDK");
            return null;
        }
        Path classes = Files.createDirectories(work.resolve("baselines"));
        int status = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                source.resolve(FSYNC_LIMIT + ".java").toString(),
                source.resolve(GROUP_COMMIT_PROBE + ".java").toString());
        if (status != 0) {
            System.err.println("the baselines in " + source + " did not compile (javac exit " + status + ")");
            return null;
        }
        return new Baselines(source, classes);
    }

    Path source() {
        return source;
    }

    Force force(Path dir) throws IOException {
        String out = run(FSYNC_LIMIT, Files.createDirectories(dir).toString());
        return new Force(number(PREALLOC, out, 1), number(GROWING, out, 1));
    }

    GroupCommit groupCommit(int executions, int steps, Path dir) throws IOException {
        String out = run(
                GROUP_COMMIT_PROBE,
                Integer.toString(executions),
                Integer.toString(steps),
                Files.createDirectories(dir).toString());
        return new GroupCommit(number(PROBE_ROUND, out, 1), number(PROBE_ROUND, out, 2));
    }

    private String run(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes.toString(),
                program));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(program + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(program + " was interrupted", e);
        }
    }

    private static double number(Pattern pattern, String out, int group) throws IOException {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IOException("no line matching " + pattern + " in:\n" + out);
        }
        return Double.parseDouble(m.group(group));
    }
}
