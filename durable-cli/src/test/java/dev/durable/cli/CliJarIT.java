package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run as an operator would: {@code java -jar durable-cli.jar ...}. */
class CliJarIT {
    private static final Path JAR = Path.of(System.getProperty("durable.cli.jar", "target/durable-cli.jar"));

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    @Test
    void helpRunsFromTheJar() throws Exception {
        Result r = java("--help");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Usage: durable", "complete-callback", "Exit codes:");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theJarReadsAJournalAndExitsWithTheCommandsExitCode() throws Exception {
        SampleJournal journal = SampleJournal.create(dir);

        Result list = java("list", "--journal", dir.toString());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("order-1", "bad-2", "echo-3");
        assertThat(list.err()).as("no logging noise").isEmpty();

        Result unknown = java("show", "nope", "--journal", dir.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: no execution named 'nope'").hasLineCount(1);

        Result complete = java(
                "complete-callback",
                journal.callbackOf("order-1"),
                "--payload",
                "{\"approved\":true}",
                "--journal",
                dir.toString());
        assertThat(complete.exitCode()).as(complete.toString()).isZero();
        assertThat(complete.out()).startsWith("completed callback ");
    }

    private Result java(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged CLI (mvn package)").exists();
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(dir.getParent(), "err", ".txt");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
