package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.admin.AdminServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BLOCKED execution as the commands show it, and an operator failing it through the running application. */
class BlockedExecutionCommandsTest {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    @TempDir
    Path dir;

    /** An application whose handler's first step is named {@code firstStep}, at {@code minutes} after T0. */
    private LocalRuntime application(String firstStep, int minutes) {
        LocalRuntime app = LocalRuntime.builder()
                .directory(dir)
                .clock(new ManualClock(T0.plus(Duration.ofMinutes(minutes))))
                .open();
        app.register("orders", String.class, String.class, (in, ctx) -> {
            ctx.step(firstStep, String.class, s -> "x");
            ctx.wait("cool-off", Duration.ofMinutes(1));
            return "done";
        });
        return app;
    }

    @Test
    void listAndShowTellWhyItIsBlockedAndFailEndsItOnlyWhenBlocked() {
        try (LocalRuntime v1 = application("reserve", 0)) {
            v1.start("orders", "o-1", "o-1");
            v1.awaitIdle(Duration.ofSeconds(20));
        }
        try (LocalRuntime broken = application("wrap", 2);
                AdminServer admin = broken.serveAdmin()) {
            broken.start("orders", "o-2", "o-2"); // starts on the new code: it waits
            broken.awaitIdle(Duration.ofSeconds(20));
            assertThat(broken.execution("o-1").status()).isEqualTo(ExecutionStatus.BLOCKED);

            Cli list = Cli.on(dir, "list", "--status", "BLOCKED");
            Cli show = Cli.on(dir, "show", "o-1");
            Cli json = Cli.on(dir, "list", "--json");
            Cli notBlocked = Cli.on(dir, "fail", "o-2", "--reason", "why not");
            Cli fail = Cli.on(dir, "fail", "o-1", "--reason", "order withdrawn");

            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out())
                    .contains("o-1")
                    .doesNotContain("o-2")
                    .contains("BLOCKED")
                    .contains("blocked at operation 1: the journal holds STEP 'reserve' but the code now performs"
                            + " STEP 'wrap'");
            assertThat(show.out()).containsPattern("blocked +Non-deterministic replay of execution 'o-1'");
            assertThat(json.out()).contains("\"blockedReason\"");
            assertThat(notBlocked.exitCode()).as(notBlocked.toString()).isEqualTo(ExitCodes.REFUSED);
            assertThat(notBlocked.err()).contains("execution 'o-2' is WAITING, not BLOCKED");
            assertThat(fail.exitCode()).as(fail.toString()).isZero();
            assertThat(fail.out())
                    .contains("failed execution 'o-1' through the running application")
                    .contains("now FAILED: failed by an operator: order withdrawn (it was BLOCKED: ");
            assertThat(broken.execution("o-1").status()).isEqualTo(ExecutionStatus.FAILED);
        }
        Cli offline = Cli.on(dir, "fail", "o-2");
        assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(offline.err()).contains("can be failed only through the running application");
    }
}
