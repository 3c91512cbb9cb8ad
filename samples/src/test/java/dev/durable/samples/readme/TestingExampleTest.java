package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration and testing examples. */
class TestingExampleTest {
    @TempDir
    Path dir;

    @Test
    void aDayPassesInstantlyOnTheManualClock() {
        ManualClock clock = new ManualClock();
        try (LocalRuntime runtime = LocalRuntime.builder()
                .durability(Durability.MEMORY)
                .clock(clock)
                .open()) {
            runtime.register("reminder", String.class, String.class, (name, ctx) -> {
                ctx.wait("a day", Duration.ofDays(1));
                return ctx.step("remind", String.class, s -> "Hello again, " + name);
            });
            Execution<String> ex = runtime.start("reminder", "r-1", "Ada");
            runtime.awaitIdle(Duration.ofSeconds(5));
            assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
            clock.advance(Duration.ofDays(1));
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("Hello again, Ada");
        }
    }

    @Test
    void theConfigurationExampleOpens() {
        LocalRuntime runtime = LocalRuntime.builder()
                .directory(dir) // created owner-only
                .durability(Durability.SYNC) // SYNC (default), BATCHED, MEMORY
                .retention(Duration.ofDays(14)) // finished executions are removed after this
                .payloadLimit(256 * 1024) // bytes, per input, result or payload
                .threads(16) // handlers running at once; waiting ones hold none
                .open();
        try (runtime) {
            assertThat(runtime.directory()).isEqualTo(dir);
        }
    }
}
