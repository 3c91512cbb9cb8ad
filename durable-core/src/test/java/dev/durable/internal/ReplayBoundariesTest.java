package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableContext;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.NonDeterministicExecutionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where replay draws its lines: the longest wait, where patch markers live, and a run that diverged. */
class ReplayBoundariesTest {

    @Test
    void aWaitOfExactlyTheLongestAllowedIsTakenAndOneMillisecondMoreIsRefused() {
        try (EngineFixture f = new EngineFixture(e -> e.register("nap", Long.class, String.class, (extra, ctx) -> {
            try {
                ctx.wait("long", DurableContext.MAX_WAIT.plusMillis(extra));
                return "woke";
            } catch (IllegalArgumentException ex) {
                return ex.getMessage();
            }
        }))) {
            f.engine.start("nap", "longest", 0L);
            assertThat(f.engine.<String>start("nap", "longer", 1L).result(Duration.ofSeconds(5)))
                    .contains("more than a year ahead; durable waits last at most 366 days");
            f.advance(DurableContext.MAX_WAIT);
            assertThat(f.engine.<String>execution("longest").result(Duration.ofSeconds(5)))
                    .isEqualTo("woke");
        }
    }

    @Test
    void aPatchMarkerIsJournaledUnderTheContextThatAskedAndTakesNoOperationNumber() {
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            boolean root = ctx.patched("p");
            boolean child = ctx.runInChildContext("sub", Boolean.class, c -> c.patched("p"));
            return root + "/" + child + "/" + ctx.step("after", String.class, s -> "s");
        }))) {
            assertThat(f.engine.<String>start("fn", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("true/true/s");
            assertThat(f.engine.history("x"))
                    .filteredOn(h -> "patch".equals(h.subType()))
                    .extracting(HistoryEvent::operationId)
                    .containsExactly("patch:p", "1/patch:p");
            assertThat(f.engine.history("x"))
                    .filteredOn(h -> "after".equals(h.name()))
                    .extracting(HistoryEvent::operationId)
                    .containsOnly("2");
        }
    }

    @Test
    void aHandlerThatCatchesADivergenceRunsNothingMoreAndTheExecutionIsHeld() {
        AtomicInteger laterBodies = new AtomicInteger();
        List<String> caught = new CopyOnWriteArrayList<>();
        boolean[] changed = {false};
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            try {
                ctx.step(changed[0] ? "renamed" : "original", String.class, s -> "v");
            } catch (NonDeterministicExecutionException ex) {
                caught.add(ex.getClass().getSimpleName());
            }
            ctx.wait("nap", Duration.ofHours(1));
            ctx.step("later", String.class, s -> {
                laterBodies.incrementAndGet();
                return "l";
            });
            return "done";
        }))) {
            f.engine.start("fn", "x", "in");
            f.idle();
            changed[0] = true;
            f.restart().advance(Duration.ofHours(1));
            assertThat(caught).isNotEmpty().containsOnly("NonDeterministicExecutionException");
            assertThat(laterBodies).hasValue(0);
            assertThat(f.engine.execution("x").status()).isEqualTo(ExecutionStatus.BLOCKED);
        }
    }
}
