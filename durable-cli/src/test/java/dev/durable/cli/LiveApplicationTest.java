package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.admin.AdminServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a running application, through the admin endpoint it announces in the journal directory. */
class LiveApplicationTest {
    record Decision(boolean approved) {}

    @TempDir
    Path dir;

    private final Map<String, String> callbacks = new ConcurrentHashMap<>();
    private LocalRuntime app;
    private AdminServer admin;

    @BeforeEach
    void startApplication() {
        app = LocalRuntime.open(dir);
        app.register("approve", String.class, String.class, (in, ctx) -> {
            Decision d = ctx.waitForCallback(
                    "manager", Decision.class, (id, s) -> callbacks.put(in, id), CallbackConfig.defaults());
            return d.approved() ? "approved" : "rejected";
        });
        admin = app.serveAdmin();
        app.start("approve", "a-1", "a-1");
        app.start("approve", "a-2", "a-2");
        app.awaitIdle(Duration.ofSeconds(20));
    }

    @AfterEach
    void stopApplication() {
        admin.close();
        app.close();
    }

    @Test
    void listAndShowWorkWhileTheApplicationRuns() {
        Cli list = Cli.on(dir, "list");
        Cli show = Cli.on(dir, "show", "a-1", "--json");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("a-1").contains("a-2").contains("WAITING");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains(callbacks.get("a-1"));
    }

    @Test
    void aCallbackCompletedFromTheCliResumesTheRunningExecutionAtOnce() throws Exception {
        Cli wrong = Cli.on(dir, "complete-callback", callbacks.get("a-1"), "--payload", "{\"aproved\":true}");
        Cli done = Cli.on(dir, "complete-callback", callbacks.get("a-1"), "--payload", "{\"approved\":true}");
        Cli failed = Cli.on(dir, "fail-callback", callbacks.get("a-2"), "--message", "no budget");

        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(wrong.err()).contains("does not convert");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(done.out()).contains("through the running application");
        assertThat(app.<String>execution("a-1").result(Duration.ofSeconds(20))).isEqualTo("approved");
        assertThat(failed.exitCode()).as(failed.toString()).isZero();
        app.awaitIdle(Duration.ofSeconds(20));
        assertThat(app.execution("a-2").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(Cli.on(dir, "retry", "a-2").exitCode()).isZero();
        assertThat(Cli.on(dir, "cancel", "a-2").exitCode()).isZero();
        assertThat(app.execution("a-2").status()).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void aWrongTokenIsRefusedAndWithoutAnEndpointTheCommandSaysHowToGetOne() {
        Cli wrongToken = Cli.on(dir, "list", "--url", admin.uri().toString(), "--token", "0".repeat(64));
        admin.close();
        Cli noEndpoint = Cli.on(dir, "list");

        assertThat(wrongToken.exitCode()).isEqualTo(ExitCodes.LOCKED);
        assertThat(wrongToken.err()).contains("refused the token");
        assertThat(noEndpoint.exitCode()).isEqualTo(ExitCodes.LOCKED);
        assertThat(noEndpoint.err()).contains("runtime.serveAdmin()");
    }
}
