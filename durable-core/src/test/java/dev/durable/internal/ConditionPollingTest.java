package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Durable;
import dev.durable.ManualClock;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitForConditionFailedException;
import dev.durable.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code waitForCondition}: what its check may do, how it ends, and what survives a restart. */
class ConditionPollingTest {
    private final AtomicInteger checks = new AtomicInteger();

    @Test
    void aCheckThatThrowsFailsTheWaitAndAfterARestartTheFailureIsReplayedWithoutCheckingAgain() {
        try (EngineFixture f = new EngineFixture(e -> e.register("poll", String.class, String.class, (in, ctx) -> {
            String outcome;
            try {
                ctx.waitForCondition(
                        "job",
                        String.class,
                        (state, step) -> {
                            checks.incrementAndGet();
                            throw new IllegalStateException("the job service is gone");
                        },
                        WaitForConditionConfig.of("new", WaitStrategy.<String>until("done"::equals)));
                outcome = "done";
            } catch (IllegalStateException ex) {
                outcome = ex.getMessage() + ", handler may go on: "
                        + Durable.currentContext().isPresent();
            }
            ctx.wait("after", Duration.ofHours(1));
            return outcome;
        }))) {
            f.engine.start("poll", "p", "x");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("the job service is gone, handler may go on: true");
            assertThat(checks).hasValue(1);
        }
    }

    @Test
    void aWaitThatGaveUpBeforeARestartIsNotPolledAgainAfterIt() {
        try (EngineFixture f = new EngineFixture(e -> e.register("poll", String.class, String.class, (in, ctx) -> {
            String outcome;
            try {
                ctx.waitForCondition(
                        "job",
                        String.class,
                        (state, step) -> {
                            checks.incrementAndGet();
                            return "pending";
                        },
                        WaitForConditionConfig.of(
                                "new",
                                WaitStrategy.<String>until("done"::equals)
                                        .initialDelay(Duration.ofSeconds(5))
                                        .maxAttempts(2)));
                outcome = "done";
            } catch (WaitForConditionFailedException ex) {
                outcome = "gave up";
            }
            ctx.wait("after", Duration.ofHours(1));
            return outcome;
        }))) {
            f.engine.start("poll", "p", "x");
            f.advance(Duration.ofSeconds(5));
            assertThat(checks).hasValue(2);
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("gave up");
            assertThat(checks).hasValue(2);
        }
    }

    @Test
    void insideACheckNoDurableOperationCanRunButAfterItTheHandlerCanAgainAndEachCheckKnowsItsAttempt() {
        List<Boolean> contextSeen = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("poll", String.class, String.class, (in, ctx) -> {
            String state = ctx.waitForCondition(
                    "job",
                    String.class,
                    (s, step) -> {
                        contextSeen.add(Durable.currentContext().isPresent());
                        attempts.add(step.attempt());
                        return s.equals("new") ? "pending" : "done";
                    },
                    WaitForConditionConfig.of(
                            "new", WaitStrategy.<String>until("done"::equals).initialDelay(Duration.ofSeconds(1))));
            contextSeen.add(Durable.currentContext().isPresent());
            return state;
        }))) {
            f.engine.start("poll", "p", "x");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
            assertThat(contextSeen).containsExactly(false, false, true);
            assertThat(attempts).containsExactly(1, 2);
        }
    }

    @Test
    void eachCheckIsAnAttemptThatPollsAgainSucceedsOrFails() {
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        try (EngineFixture f = new EngineFixture(none -> {}, r)) {
            DurableEngine e = f.engine;
            ManualClock clock = f.clock;
            e.register("poll", Integer.class, String.class, (limit, ctx) -> {
                try {
                    ctx.waitForCondition(
                            "job",
                            Integer.class,
                            (state, step) -> {
                                if (state < 0) {
                                    throw new IllegalArgumentException("negative");
                                }
                                return state + 1;
                            },
                            WaitForConditionConfig.of(
                                    limit < 0 ? -1 : 0,
                                    WaitStrategy.<Integer>until(s -> s >= 2)
                                            .initialDelay(Duration.ofSeconds(1))
                                            .maxAttempts(limit < 0 ? 5 : limit)));
                    return "met";
                } catch (RuntimeException ex) {
                    return ex.getClass().getSimpleName();
                }
            });
            e.start("poll", "met", 5);
            e.start("poll", "gave-up", 1);
            e.start("poll", "threw", -1);
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(e.<String>execution("met").result(Duration.ofSeconds(5))).isEqualTo("met");
            assertThat(e.<String>execution("gave-up").result(Duration.ofSeconds(5)))
                    .isEqualTo("WaitForConditionFailedException");
            assertThat(e.<String>execution("threw").result(Duration.ofSeconds(5)))
                    .isEqualTo("IllegalArgumentException");
        }
        assertThat(r.matching("attempt-"))
                .containsExactlyInAnyOrder(
                        "attempt-start 1 1",
                        "attempt-end 1 1 POLLING",
                        "attempt-start 1 2",
                        "attempt-end 1 2 SUCCEEDED",
                        "attempt-start 1 1",
                        "attempt-end 1 1 FAILED",
                        "attempt-start 1 1",
                        "attempt-end 1 1 FAILED");
    }
}
