package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Durable;
import dev.durable.DurableContext;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.StepFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where a step body ends: how its failure reaches the handler, fresh and replayed, and what plugins hear of it. */
class StepBoundaryTest {
    private static final StepConfig ONCE =
            StepConfig.builder().retry(RetryPolicy.noRetry()).build();

    private final AtomicInteger bodies = new AtomicInteger();

    /**
     * Runs step {@code broken}, whose only attempt throws {@code IllegalStateException("no")}, and catches its failure;
     * whether the handler has its context back there.
     */
    static boolean brokenStepCaught(DurableContext ctx) {
        try {
            ctx.step(
                    "broken",
                    String.class,
                    s -> {
                        throw new IllegalStateException("no");
                    },
                    ONCE);
        } catch (IllegalStateException ex) {
            return Durable.currentContext().isPresent();
        }
        throw new AssertionError("step 'broken' did not fail");
    }

    @Test
    void aCheckedFailureReachesTheHandlerWrappedTheSameWayWhenItIsReplayedAfterARestart() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            try {
                ctx.step(
                        "read",
                        String.class,
                        s -> {
                            bodies.incrementAndGet();
                            throw new IOException("disk gone");
                        },
                        ONCE);
            } catch (StepFailedException ex) {
                seen.add(ex.getCause().getClass().getSimpleName() + ": "
                        + ex.getCause().getMessage());
            }
            ctx.wait("after", Duration.ofHours(1));
            return "done";
        }))) {
            f.engine.start("fn", "x", "in");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
            assertThat(seen)
                    .containsExactly("IOException: disk gone", "IOException: disk gone", "IOException: disk gone");
            assertThat(bodies).hasValue(1);
        }
    }

    @Test
    void afterAStepBodyEndsWhetherItSucceededOrFailedTheHandlerCanRunDurableOperationsAgain() {
        List<Boolean> contextSeen = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            ctx.step("fine", String.class, s -> {
                contextSeen.add(Durable.currentContext().isPresent());
                return "ok";
            });
            contextSeen.add(Durable.currentContext().isPresent());
            contextSeen.add(brokenStepCaught(ctx));
            return "done";
        }))) {
            assertThat(f.engine.<String>start("fn", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
            assertThat(contextSeen).containsExactly(false, true, true);
        }
    }

    /** Jackson cannot write it: reading its one property throws. */
    static final class Opaque {
        public String getValue() {
            throw new IllegalStateException("cannot be read");
        }
    }

    @Test
    void aStepWhoseResultCannotBeStoredFailsForGoodAndIsNotRunAgainAfterARestart() {
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            String outcome;
            try {
                ctx.step("make", Opaque.class, s -> {
                    bodies.incrementAndGet();
                    return new Opaque();
                });
                outcome = "stored";
            } catch (RuntimeException ex) {
                outcome = ex.getClass().getSimpleName();
            }
            ctx.wait("after", Duration.ofHours(1));
            return outcome;
        }))) {
            f.engine.start("fn", "x", "in");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("SerializationException");
            assertThat(bodies).hasValue(1);
        }
    }

    @Test
    void aStepThatFailsForGoodOrCannotStoreItsResultEndsItsLastAttemptAsFailed() {
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        try (EngineFixture f = new EngineFixture(none -> {}, r)) {
            DurableEngine e = f.engine;
            e.register("fn", String.class, String.class, (in, ctx) -> {
                brokenStepCaught(ctx);
                try {
                    ctx.step("opaque", Opaque.class, s -> new Opaque());
                } catch (RuntimeException ex) {
                    // expected
                }
                return "done";
            });
            assertThat(e.<String>start("fn", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
        }
        assertThat(r.matching("attempt-end")).containsExactly("attempt-end 1 1 FAILED", "attempt-end 2 1 FAILED");
    }
}
