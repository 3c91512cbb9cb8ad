package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalInUseTest {
    @TempDir
    Path dir;

    @Test
    void aJournalHeldByAnotherProcessIsRefusedWithExitCode3AndItsPid() throws Exception {
        SampleJournal journal = SampleJournal.create(dir);
        Process app = start(dir);
        try {
            String pid = firstLine(app).replace("HOLDING ", "");

            Cli r = Cli.on(dir, "complete-callback", journal.callbackOf("order-1"), "--payload", "{\"approved\":true}");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err())
                    .isEqualTo("error: the journal at " + dir.toRealPath() + " is in use by process " + pid
                            + "; stop it, serve its admin endpoint (runtime.serveAdmin()) so that this command works through it,"
                            + " or complete the callback through the application (runtime.completeCallback)\n");
            assertThat(r.out()).isEmpty();
            for (String command : List.of("list", "verify", "compact")) {
                assertThat(Cli.on(dir, command).exitCode()).as(command).isEqualTo(3);
            }
        } finally {
            app.getOutputStream().close(); // the stand-in application closes its runtime and exits
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (LocalRuntime rt = journal.reopen(false)) {
            rt.awaitIdle(java.time.Duration.ofSeconds(10));
            assertThat(rt.execution("order-1").status())
                    .as("nothing was completed")
                    .isEqualTo(ExecutionStatus.WAITING);
        }
    }

    @Test
    void aJournalOpenInThisProcessIsRefusedAndKeepsItsLock() throws Exception {
        SampleJournal journal = SampleJournal.create(dir);
        try (LocalRuntime app = journal.reopen(false)) {
            Cli r = Cli.on(dir, "list");

            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err())
                    .contains("is in use by process " + ProcessHandle.current().pid() + " (this one)");
            Process other = start(dir);
            assertThat(firstLine(other))
                    .as("the lock still keeps other processes out")
                    .startsWith("REFUSED ");
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            app.completeCallback(journal.callbackOf("order-1"), new SampleJournal.Decision(true));
            assertThat(app.<String>execution("order-1").result(java.time.Duration.ofSeconds(20)))
                    .isEqualTo("shipped R-o1");
        }
    }

    private static Process start(Path dir) throws IOException {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldJournal.class.getName(),
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String firstLine(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertThat(line).as("the child's first line").isNotNull();
        return line;
    }
}
