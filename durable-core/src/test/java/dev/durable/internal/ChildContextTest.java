package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A child context's body: how it ends, what plugins hear of it, and what a restart replays. */
class ChildContextTest {

    @Test
    void aChildContextThatFailedIsNotRunAgainAfterARestartItsFailureIsReplayed() {
        AtomicInteger bodies = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            String outcome;
            try {
                ctx.runInChildContext("sub", String.class, c -> {
                    if (bodies.incrementAndGet() == 1) {
                        throw new IllegalStateException("first time only");
                    }
                    return "fine";
                });
                outcome = "fine";
            } catch (IllegalStateException ex) {
                outcome = ex.getMessage();
            }
            ctx.wait("after", Duration.ofHours(1));
            return outcome;
        }))) {
            f.engine.start("fn", "x", "in");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("first time only");
            assertThat(bodies).hasValue(1);
        }
    }

    @Test
    void eachChildContextBodyEndsAsAnAttemptThatSucceededFailedOrSuspended() {
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        try (EngineFixture f = new EngineFixture(none -> {}, r)) {
            DurableEngine e = f.engine;
            ManualClock clock = f.clock;
            e.register("fn", String.class, String.class, (in, ctx) -> {
                String a = ctx.runInChildContext("ok", String.class, c -> "a");
                try {
                    ctx.runInChildContext("broken", String.class, c -> {
                        throw new IllegalStateException("no");
                    });
                } catch (IllegalStateException ex) {
                    a += "b";
                }
                return a
                        + ctx.runInChildContext("napping", String.class, c -> {
                            c.wait("nap", Duration.ofHours(1));
                            return "c";
                        });
            });
            e.start("fn", "x", "in");
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofHours(1));
            assertThat(e.<String>execution("x").result(Duration.ofSeconds(5))).isEqualTo("abc");
        }
        assertThat(r.matching("attempt-end"))
                .containsExactly(
                        "attempt-end 1 1 SUCCEEDED",
                        "attempt-end 2 1 FAILED",
                        "attempt-end 3 1 SUSPENDED",
                        "attempt-end 3 2 SUCCEEDED");
    }
}
