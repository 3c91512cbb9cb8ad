package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.BatchItem;
import dev.durable.BatchResult;
import dev.durable.CompletionConfig;
import dev.durable.ContextFunction;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.InvokeFailedException;
import dev.durable.ParallelConfig;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitForConditionFailedException;
import dev.durable.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompositeTest {
    @Test
    void waitForConditionPollsWithDurableWaitsUntilDone() {
        AtomicInteger polls = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "poll",
                String.class,
                Integer.class,
                (in, ctx) -> ctx.waitForCondition(
                        "job",
                        Integer.class,
                        (state, step) -> {
                            polls.incrementAndGet();
                            return state + 1;
                        },
                        WaitForConditionConfig.of(
                                0,
                                WaitStrategy.<Integer>until(s -> s >= 3)
                                        .initialDelay(Duration.ofSeconds(5))
                                        .backoff(2)
                                        .maxAttempts(10)))))) {
            f.engine.start("poll", "p", "x");
            f.idle();
            assertThat(polls).hasValue(1);
            f.advance(Duration.ofSeconds(5));
            assertThat(polls).hasValue(2);
            f.restart().advance(Duration.ofSeconds(10));
            assertThat(f.engine.<Integer>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo(3);
            assertThat(polls).hasValue(3);
        }
    }

    @Test
    void waitForConditionGivesUpAfterMaxAttempts() {
        try (EngineFixture f = new EngineFixture(e -> e.register("poll", String.class, String.class, (in, ctx) -> {
            try {
                ctx.waitForCondition(
                        "job",
                        String.class,
                        (state, step) -> "pending",
                        WaitForConditionConfig.of(
                                "new",
                                WaitStrategy.<String>until("done"::equals).maxAttempts(2)));
                return "done";
            } catch (WaitForConditionFailedException ex) {
                return ex.getMessage();
            }
        }))) {
            f.engine.start("poll", "p", "x");
            f.advance(Duration.ofMinutes(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .contains("gave up: condition not met after 2 attempts");
        }
    }

    @Test
    void childContextsNumberTheirOperationsAndReplayTheirResult() {
        AtomicInteger inner = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("child", String.class, String.class, (in, ctx) -> {
            String r = ctx.runInChildContext("sub", String.class, c -> {
                String a = c.step("a", String.class, s -> "a" + inner.incrementAndGet());
                return a + c.step("b", String.class, s -> "b");
            });
            ctx.wait("w", Duration.ofSeconds(1));
            return r;
        }))) {
            f.engine.start("child", "c", "x");
            f.restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("c").result(Duration.ofSeconds(5)))
                    .isEqualTo("a1b");
            assertThat(inner).hasValue(1);
            assertThat(f.journal.read("c")).extracting(r -> r.operationId()).contains("1/1", "1/2", "1", "2");
        }
    }

    @Test
    void parallelBranchesReallyRunConcurrently() {
        CountDownLatch both = new CountDownLatch(2);
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            ContextFunction<String> branch = c -> c.step("meet", String.class, s -> {
                both.countDown();
                return both.await(10, TimeUnit.SECONDS) ? "met" : "alone";
            });
            return String.join(
                    ",",
                    ctx.parallel("pair", String.class, List.of(branch, branch), ParallelConfig.defaults())
                            .results());
        }))) {
            assertThat(f.engine.<String>start("par", "p", "x").result(Duration.ofSeconds(15)))
                    .isEqualTo("met,met");
        }
    }

    @Test
    void aBranchThatWaitsDoesNotBlockTheOthers() {
        AtomicInteger fast = new AtomicInteger();
        AtomicInteger slow = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            List<ContextFunction<String>> branches = List.of(
                    c -> {
                        c.wait("nap", Duration.ofHours(1));
                        return c.step("slow", String.class, s -> "slow" + slow.incrementAndGet());
                    },
                    c -> c.step("fast", String.class, s -> "fast" + fast.incrementAndGet()));
            BatchResult<String> r = ctx.parallel("two", String.class, branches, ParallelConfig.defaults());
            return String.join(",", r.results());
        }))) {
            f.engine.start("par", "p", "x");
            f.idle();
            assertThat(fast).hasValue(1);
            assertThat(slow).hasValue(0);
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("slow1,fast1");
            assertThat(fast).hasValue(1);
        }
    }

    private static BatchResult<Integer> runBatch(CompletionConfig completion, int maxConcurrency, List<Integer> items) {
        AtomicInteger[] runs = {new AtomicInteger()};
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "map",
                new TypeToken<List<Integer>>() {},
                new TypeToken<BatchResult<Integer>>() {},
                (in, ctx) -> ctx.map(
                        "items",
                        in,
                        Integer.class,
                        (item, index, c) -> c.step(
                                "work",
                                Integer.class,
                                s -> {
                                    runs[0].incrementAndGet();
                                    if (item < 0) {
                                        throw new IllegalArgumentException("negative " + item);
                                    }
                                    return item * 10;
                                },
                                StepConfig.builder()
                                        .retry(RetryPolicy.noRetry())
                                        .build()),
                        ParallelConfig.builder()
                                .maxConcurrency(maxConcurrency)
                                .completion(completion)
                                .build())))) {
            return f.engine.<BatchResult<Integer>>start("map", "m", items).result(Duration.ofSeconds(5));
        }
    }

    @Test
    void mapReportsEachItemInOrder() {
        BatchResult<Integer> r = runBatch(CompletionConfig.allCompleted(), 2, List.of(1, -2, 3));
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(r.items())
                .extracting(BatchItem::status)
                .containsExactly(BatchItem.Status.SUCCEEDED, BatchItem.Status.FAILED, BatchItem.Status.SUCCEEDED);
        assertThat(r.results()).containsExactly(10, 30);
        assertThat(r.failed().get(0).error().summary()).isEqualTo("java.lang.IllegalArgumentException: negative -2");
        assertThatThrownBy(r::throwIfFailed).hasMessageContaining("branch 1 failed");
    }

    @Test
    void firstSuccessfulStopsStartingBranches() {
        BatchResult<Integer> r = runBatch(CompletionConfig.firstSuccessful(), 1, List.of(-1, 2, 3));
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(r.items())
                .extracting(BatchItem::status)
                .containsExactly(BatchItem.Status.FAILED, BatchItem.Status.SUCCEEDED, BatchItem.Status.NOT_STARTED);
    }

    @Test
    void allSuccessfulStopsAtTheFirstFailure() {
        BatchResult<Integer> r = runBatch(CompletionConfig.allSuccessful(), 1, List.of(1, -2, 3));
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(r.items())
                .extracting(BatchItem::status)
                .containsExactly(BatchItem.Status.SUCCEEDED, BatchItem.Status.FAILED, BatchItem.Status.NOT_STARTED);
    }

    @Test
    void minSuccessfulAndToleratedFailures() {
        assertThat(runBatch(CompletionConfig.minSuccessful(2), 1, List.of(1, -1, 2, 3))
                        .items())
                .extracting(BatchItem::status)
                .containsExactly(
                        BatchItem.Status.SUCCEEDED,
                        BatchItem.Status.FAILED,
                        BatchItem.Status.SUCCEEDED,
                        BatchItem.Status.NOT_STARTED);
        BatchResult<Integer> tolerated = runBatch(CompletionConfig.toleratedFailures(1), 1, List.of(-1, 1, -2, 3));
        assertThat(tolerated.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(tolerated.failureCount()).isEqualTo(2);
        assertThat(tolerated.items().get(3).status()).isEqualTo(BatchItem.Status.NOT_STARTED);
        BatchResult<Integer> pct = runBatch(CompletionConfig.toleratedFailurePercentage(50), 1, List.of(-1, 1, -2, 3));
        assertThat(pct.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(pct.successCount()).isEqualTo(2);
    }

    @Test
    void invokeRunsAChildExecutionAndWaitsDurably() {
        AtomicInteger childRuns = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("double", Integer.class, Integer.class, (n, ctx) -> {
                ctx.wait("think", Duration.ofMinutes(5));
                return ctx.step("calc", Integer.class, s -> {
                    childRuns.incrementAndGet();
                    return n * 2;
                });
            });
            e.register("fail", Integer.class, Integer.class, (n, ctx) -> {
                throw new IllegalStateException("no " + n);
            });
            e.register("parent", Integer.class, String.class, (n, ctx) -> {
                int d = ctx.invoke("twice", "double", n, Integer.class);
                try {
                    ctx.invoke("broken", "fail", n, Integer.class);
                    return "unexpected";
                } catch (InvokeFailedException ex) {
                    return d + " / " + ex.error().summary();
                }
            });
        })) {
            f.engine.start("parent", "p", 21);
            f.idle();
            assertThat(f.engine.execution("p").status()).isEqualTo(ExecutionStatus.WAITING);
            assertThat(f.engine.execution("p/1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.restart().advance(Duration.ofMinutes(5));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("42 / java.lang.IllegalStateException: no 21");
            assertThat(childRuns).hasValue(1);
            assertThat(f.engine.list()).extracting(ExecutionInfo::name).containsExactly("p", "p/1", "p/2");
            assertThat(f.engine.list(ExecutionStatus.FAILED))
                    .extracting(ExecutionInfo::parent)
                    .containsExactly("p");
        }
    }
}
