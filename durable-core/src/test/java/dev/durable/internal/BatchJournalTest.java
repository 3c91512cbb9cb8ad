package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.durable.BatchResult;
import dev.durable.ContextFunction;
import dev.durable.ExecutionStatus;
import dev.durable.OperationInfo;
import dev.durable.ParallelConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What a batch leaves in the journal for its branches, and what a replay demands of them. */
class BatchJournalTest {
    @Test
    void eachBranchIsJournaledUnderItsPositionFromOneWithItsOutcome() {
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            BatchResult<String> r = ctx.parallel(
                    "pair",
                    String.class,
                    List.of(c -> "fine", ContextFunction.named("broken", c -> {
                        throw new IllegalStateException("no");
                    })),
                    ParallelConfig.builder().maxConcurrency(1).build());
            return r.successCount() + "/" + r.failureCount();
        }))) {
            assertThat(f.engine.<String>start("par", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("1/1");
            f.restart();
            assertThat(f.engine.describe("x").operations())
                    .extracting(OperationInfo::id, OperationInfo::type, OperationInfo::name, OperationInfo::status)
                    .containsExactly(
                            tuple("1/1", "BRANCH", "branch-0", "SUCCEEDED"),
                            tuple("1/2", "BRANCH", "broken", "FAILED"),
                            tuple("1", "PARALLEL", "pair", "SUCCEEDED"));
            assertThat(f.engine
                            .describe("x")
                            .operation("1/2")
                            .orElseThrow()
                            .error()
                            .summary())
                    .isEqualTo("java.lang.IllegalStateException: no");
        }
    }

    @Test
    void renamingABranchOfABatchInFlightIsNonDeterministic() {
        AtomicBoolean renamed = new AtomicBoolean();
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            String name = renamed.get() ? "renamed" : "original";
            BatchResult<String> r = ctx.parallel(
                    "pair",
                    String.class,
                    List.of(ContextFunction.named(name, c -> "done"), ContextFunction.named("waits", c -> {
                        c.wait("nap", Duration.ofHours(1));
                        return "woke";
                    })),
                    ParallelConfig.defaults());
            return String.join(",", r.results());
        }))) {
            f.engine.start("par", "x", "in");
            f.idle();
            renamed.set(true);
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.execution("x").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.engine.describe("x").info().blockedReason())
                    .contains(
                            "at operation 1/1: the journal holds BRANCH 'original' but the code now performs BRANCH 'renamed'");
        }
    }
}
