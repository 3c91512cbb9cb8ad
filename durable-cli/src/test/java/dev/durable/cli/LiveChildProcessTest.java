package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command against a running application in another JVM that serves its admin endpoint. */
class LiveChildProcessTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandWorksThroughTheRunningApplication() throws Exception {
        SampleJournal journal = SampleJournal.create(dir);
        Process app = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldJournal.class.getName(),
                        dir.toString(),
                        "serve")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String first =
                    new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(first).startsWith("HOLDING");

            Cli list = Cli.on(dir, "list");
            Cli show = Cli.on(dir, "show", "order-1");
            Cli complete =
                    Cli.on(dir, "complete-callback", journal.callbackOf("order-1"), "--payload", "{\"approved\":true}");
            Cli failLate = Cli.on(dir, "fail-callback", journal.callbackOf("order-1"), "--message", "too late");
            Cli retry = Cli.on(dir, "retry", "bad-2");
            Cli cancelEnded = Cli.on(dir, "cancel", "echo-3");

            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).contains("order-1").contains("bad-2").contains("echo-3");
            assertThat(show.exitCode()).as(show.toString()).isZero();
            assertThat(show.out()).contains("CALLBACK").contains(journal.callbackOf("order-1"));
            assertThat(complete.exitCode()).as(complete.toString()).isZero();
            assertThat(failLate.exitCode()).as(failLate.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(failLate.err()).contains("already completed");
            assertThat(retry.exitCode()).as(retry.toString()).isZero();
            assertThat(cancelEnded.exitCode()).isEqualTo(ExitCodes.REFUSED);
        } finally {
            app.getOutputStream().close(); // the application closes its runtime and exits
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (LocalRuntime rt = journal.reopen(false)) {
            assertThat(rt.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("shipped R-o1");
            rt.awaitIdle(Duration.ofSeconds(20));
            assertThat(rt.execution("bad-2").status())
                    .isEqualTo(ExecutionStatus.WAITING); // charged, waits for approval
        }
    }
}
