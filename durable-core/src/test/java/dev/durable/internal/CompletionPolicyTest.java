package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.BatchItem;
import dev.durable.BatchResult;
import dev.durable.CompletionConfig;
import dev.durable.ContextFunction;
import dev.durable.ExecutionStatus;
import dev.durable.JsonSerDes;
import dev.durable.ParallelConfig;
import dev.durable.RetryPolicy;
import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.StepFailedException;
import dev.durable.TypeToken;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a {@code parallel} or {@code map} is done, as its result and the branches that ran show it. */
class CompletionPolicyTest {
    private final List<Integer> ran = new CopyOnWriteArrayList<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    /** Maps items one branch each: a negative item fails, others succeed with ten times their value. */
    private BatchResult<Integer> map(CompletionConfig completion, int maxConcurrency, Integer... items) {
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
                                    most.accumulateAndGet(active.incrementAndGet(), Math::max);
                                    ran.add(item);
                                    try {
                                        Thread.sleep(5); // keeps a branch running long enough for another to overlap it
                                    } finally {
                                        active.decrementAndGet();
                                    }
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
            return f.engine
                    .<BatchResult<Integer>>start("map", "m", List.of(items))
                    .result(Duration.ofSeconds(10));
        }
    }

    private static List<BatchItem.Status> statuses(BatchResult<?> r) {
        return r.items().stream().map(BatchItem::status).toList();
    }

    private static final BatchItem.Status OK = BatchItem.Status.SUCCEEDED;
    private static final BatchItem.Status FAILED = BatchItem.Status.FAILED;
    private static final BatchItem.Status NOT_STARTED = BatchItem.Status.NOT_STARTED;

    @Test
    void exactlyTheToleratedNumberOfFailuresDoesNotStopTheBatch() {
        BatchResult<Integer> r = map(CompletionConfig.toleratedFailures(2), 1, -1, -2, 3, 4);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(statuses(r)).containsExactly(FAILED, FAILED, OK, OK);
    }

    @Test
    void oneFailureMoreThanToleratedStopsTheBatchAtOnce() {
        BatchResult<Integer> r = map(CompletionConfig.toleratedFailures(1), 1, 1, -2, -3, 4, 5);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(statuses(r)).containsExactly(OK, FAILED, FAILED, NOT_STARTED, NOT_STARTED);
        assertThat(ran).containsExactly(1, -2, -3);
    }

    @Test
    void aFailurePercentageAtTheToleranceContinuesAndAboveItStops() {
        BatchResult<Integer> at = map(CompletionConfig.toleratedFailurePercentage(25), 1, -1, 2, 3, 4);
        assertThat(at.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(statuses(at)).containsExactly(FAILED, OK, OK, OK);
        ran.clear();
        BatchResult<Integer> above = map(CompletionConfig.toleratedFailurePercentage(25), 1, -1, 2, -3, 4, 5, 6, 7, 8);
        // 1 of 8 is 12.5 %, 2 of 8 is 25 %: still tolerated; the third failure (37.5 %) would stop it
        assertThat(above.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        ran.clear();
        BatchResult<Integer> stopped =
                map(CompletionConfig.toleratedFailurePercentage(25), 1, -1, 2, -3, -4, 5, 6, 7, 8);
        assertThat(stopped.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(statuses(stopped))
                .containsExactly(FAILED, OK, FAILED, FAILED, NOT_STARTED, NOT_STARTED, NOT_STARTED, NOT_STARTED);
    }

    @Test
    void theFailurePercentageIsOfAllBranchesNotOfThoseFinished() {
        // after the first of four branches fails, 1 of 1 finished failed but only 25 % of all did
        BatchResult<Integer> r = map(CompletionConfig.toleratedFailurePercentage(30), 1, -1, 2, 3, 4);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(r.successCount()).isEqualTo(3);
        BatchResult<Integer> none = map(CompletionConfig.toleratedFailurePercentage(0), 1, 1, -2, 3);
        assertThat(none.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(statuses(none)).containsExactly(OK, FAILED, NOT_STARTED);
    }

    @Test
    void aHundredPercentToleranceRunsEveryBranchEvenWhenAllFail() {
        BatchResult<Integer> r = map(CompletionConfig.toleratedFailurePercentage(100), 1, -1, -2, -3);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(r.failureCount()).isEqualTo(3);
        assertThat(r.hasFailure()).isTrue();
    }

    @Test
    void minSuccessfulStopsOnTheSuccessThatReachesItNotBefore() {
        BatchResult<Integer> r = map(CompletionConfig.minSuccessful(3), 1, 1, 2, -3, 4, 5);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.MIN_SUCCESSFUL_REACHED);
        assertThat(statuses(r)).containsExactly(OK, OK, FAILED, OK, NOT_STARTED);
        assertThat(r.results()).containsExactly(10, 20, 40);
    }

    @Test
    void minSuccessfulThatIsNeverReachedEndsWhenEveryBranchHasFinished() {
        BatchResult<Integer> r = map(CompletionConfig.minSuccessful(3), 1, 1, -2, 3);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(statuses(r)).containsExactly(OK, FAILED, OK);
    }

    @Test
    void failureToleranceIsCheckedBeforeMinSuccessful() {
        CompletionConfig both = new CompletionConfig(1, 0, null);
        BatchResult<Integer> r = map(both, 1, -1, 2);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
        assertThat(statuses(r)).containsExactly(FAILED, NOT_STARTED);
        BatchResult<Integer> pct = map(new CompletionConfig(1, null, 10.0), 1, -1, 2);
        assertThat(pct.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
    }

    @Test
    void allSuccessfulRunsEverythingWhenNothingFails() {
        BatchResult<Integer> r = map(CompletionConfig.allSuccessful(), 1, 1, 2, 3);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(r.results()).containsExactly(10, 20, 30);
        assertThat(r.throwIfFailed()).isSameAs(r);
    }

    @Test
    void anEmptyMapCompletesWithNoItems() {
        BatchResult<Integer> r = map(CompletionConfig.allSuccessful(), 1);
        assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.ALL_COMPLETED);
        assertThat(r.items()).isEmpty();
    }

    @Test
    void noMoreBranchesRunAtOnceThanTheConcurrencyLimit() {
        map(CompletionConfig.allCompleted(), 1, 1, 2, 3, 4, 5, 6);
        assertThat(most).hasValue(1);
        assertThat(ran).containsExactly(1, 2, 3, 4, 5, 6);
        most.set(0);
        map(CompletionConfig.allCompleted(), 2, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(most.get()).isBetween(1, 2);
    }

    @Test
    void aFailureReportsTheFirstFailedBranchAndHowManyFailed() {
        BatchResult<Integer> r = map(CompletionConfig.allCompleted(), 1, 1, -2, -3);
        assertThat(r.failed()).extracting(BatchItem::index).containsExactly(1, 2);
        assertThat(r.succeeded()).extracting(BatchItem::result).containsExactly(10);
        assertThatThrownBy(r::throwIfFailed)
                .isInstanceOf(StepFailedException.class)
                .hasMessage("branch 1 failed: java.lang.IllegalArgumentException: negative -2 (2 of 3 failed)");
        BatchResult<Integer> fine = map(CompletionConfig.allCompleted(), 1, 1);
        assertThat(fine.hasFailure()).isFalse();
        assertThat(fine.failureCount()).isZero();
    }

    // ---- outcomes replayed from the journal count like fresh ones ---------------------------------------

    /** Items: "ok" succeeds, "fail" fails, "wait-ok"/"wait-fail" first wait an hour. */
    private EngineFixture waitingMap(CompletionConfig completion, int maxConcurrency, List<String> runs) {
        return new EngineFixture(e -> e.register(
                "map", new TypeToken<List<String>>() {}, new TypeToken<BatchResult<String>>() {}, (in, ctx) -> {
                    BatchResult<String> r = ctx.map(
                            "items",
                            in,
                            String.class,
                            (item, index, c) -> {
                                if (item.startsWith("wait-")) {
                                    c.wait("nap", Duration.ofHours(1));
                                }
                                return c.step(
                                        "work",
                                        String.class,
                                        s -> {
                                            runs.add(item + "@" + index);
                                            if (item.endsWith("fail")) {
                                                throw new IllegalStateException(item);
                                            }
                                            return item;
                                        },
                                        StepConfig.builder()
                                                .retry(RetryPolicy.noRetry())
                                                .build());
                            },
                            ParallelConfig.builder()
                                    .maxConcurrency(maxConcurrency)
                                    .completion(completion)
                                    .build());
                    ctx.wait("after", Duration.ofHours(5));
                    return r;
                }));
    }

    @Test
    void aFailureReplayedAfterARestartCountsTowardsTheTolerance() {
        List<String> runs = new CopyOnWriteArrayList<>();
        try (EngineFixture f = waitingMap(CompletionConfig.toleratedFailures(1), 1, runs)) {
            f.engine.start("map", "m", List.of("fail", "wait-fail", "wait-ok")); // a waiting branch frees its slot
            f.restart().advance(Duration.ofHours(1));
            f.restart().advance(Duration.ofHours(5));
            BatchResult<String> r = f.engine.<BatchResult<String>>execution("m").result(Duration.ofSeconds(5));
            assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED);
            assertThat(statuses(r)).containsExactly(FAILED, FAILED, NOT_STARTED);
            assertThat(r.failed().get(0).error().message()).isEqualTo("fail");
            assertThat(runs).containsExactly("fail@0", "wait-fail@1");
        }
    }

    @Test
    void aSuccessReplayedAfterARestartCountsTowardsMinSuccessful() {
        List<String> runs = new CopyOnWriteArrayList<>();
        try (EngineFixture f = waitingMap(CompletionConfig.minSuccessful(2), 1, runs)) {
            f.engine.start("map", "m", List.of("ok", "wait-ok", "wait-ok"));
            f.restart().advance(Duration.ofHours(1));
            f.restart().advance(Duration.ofHours(5));
            BatchResult<String> r = f.engine.<BatchResult<String>>execution("m").result(Duration.ofSeconds(5));
            assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.MIN_SUCCESSFUL_REACHED);
            assertThat(statuses(r)).containsExactly(OK, OK, NOT_STARTED);
            assertThat(r.results()).containsExactly("ok", "wait-ok");
            assertThat(runs).containsExactly("ok@0", "wait-ok@1");
        }
    }

    @Test
    void aBranchStillWaitingWhenTheBatchCompletesIsReportedAsStarted() {
        List<String> runs = new CopyOnWriteArrayList<>();
        try (EngineFixture f = waitingMap(CompletionConfig.firstSuccessful(), 2, runs)) {
            f.engine.start("map", "m", List.of("wait-ok", "ok"));
            f.restart().advance(Duration.ofHours(5));
            BatchResult<String> r = f.engine.<BatchResult<String>>execution("m").result(Duration.ofSeconds(5));
            assertThat(r.completionReason()).isEqualTo(BatchResult.CompletionReason.MIN_SUCCESSFUL_REACHED);
            assertThat(statuses(r)).containsExactly(BatchItem.Status.STARTED, OK);
            assertThat(runs).containsExactly("ok@1");
        }
    }

    @Test
    void theBatchWakesAtTheEarliestWaitOfItsBranches() {
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            List<ContextFunction<String>> branches = List.of(
                    c -> {
                        c.wait("long", Duration.ofHours(3));
                        return "long";
                    },
                    c -> {
                        c.wait("short", Duration.ofHours(1));
                        return "short";
                    },
                    c -> {
                        c.wait("mid", Duration.ofHours(2));
                        return "mid";
                    });
            return String.join(
                    ",",
                    ctx.parallel("three", String.class, branches, ParallelConfig.defaults())
                            .results());
        }))) {
            java.time.Instant start = f.clock.now();
            f.engine.start("par", "p", "x");
            f.idle();
            assertThat(f.engine.describe("p").info().status()).isEqualTo(ExecutionStatus.WAITING);
            f.restart();
            assertThat(f.clock.nextTimer()).isEqualTo(start.plus(Duration.ofHours(1)));
            f.advance(Duration.ofHours(3));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("long,short,mid");
        }
    }

    // ---- the configuration itself -----------------------------------------------------------------------

    @Test
    void completionFactoriesSetOnlyTheirOwnRule() {
        assertThat(CompletionConfig.allCompleted()).isEqualTo(new CompletionConfig(null, null, null));
        assertThat(CompletionConfig.allSuccessful()).isEqualTo(new CompletionConfig(null, 0, null));
        assertThat(CompletionConfig.firstSuccessful()).isEqualTo(new CompletionConfig(1, null, null));
        assertThat(CompletionConfig.minSuccessful(4)).isEqualTo(new CompletionConfig(4, null, null));
        assertThat(CompletionConfig.toleratedFailures(2)).isEqualTo(new CompletionConfig(null, 2, null));
        assertThat(CompletionConfig.toleratedFailurePercentage(12.5)).isEqualTo(new CompletionConfig(null, null, 12.5));
    }

    @Test
    void completionRulesAcceptTheirBoundsAndRefuseValuesOutsideThem() {
        assertThat(CompletionConfig.minSuccessful(1).minSuccessful()).isEqualTo(1);
        assertThat(CompletionConfig.toleratedFailures(0).toleratedFailureCount())
                .isZero();
        assertThat(CompletionConfig.toleratedFailurePercentage(0).toleratedFailurePercentage())
                .isZero();
        assertThat(CompletionConfig.toleratedFailurePercentage(100).toleratedFailurePercentage())
                .isEqualTo(100.0);
        assertThatThrownBy(() -> CompletionConfig.minSuccessful(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSuccessful must be at least 1, was 0");
        assertThatThrownBy(() -> CompletionConfig.toleratedFailures(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("toleratedFailureCount must not be negative, was -1");
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("toleratedFailurePercentage must be within 0..100, was -0.5");
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(100.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallelConfigurationKeepsWhatIsNotChanged() {
        SerDes serdes = JsonSerDes.defaults();
        ParallelConfig.ItemNamer<String> namer = (item, i) -> item + i;
        ParallelConfig c = ParallelConfig.builder()
                .maxConcurrency(3)
                .completion(CompletionConfig.firstSuccessful())
                .itemSerDes(serdes)
                .resultSerDes(serdes)
                .nesting(ParallelConfig.Nesting.FLAT)
                .itemNamer(namer)
                .build();
        ParallelConfig changed = c.withMaxConcurrency(5).withCompletion(CompletionConfig.allSuccessful());
        assertThat(changed.maxConcurrency()).isEqualTo(5);
        assertThat(changed.completion()).isEqualTo(CompletionConfig.allSuccessful());
        assertThat(changed.itemSerDes()).isSameAs(serdes);
        assertThat(changed.resultSerDes()).isSameAs(serdes);
        assertThat(changed.nesting()).isEqualTo(ParallelConfig.Nesting.FLAT);
        assertThat(changed.itemNamer()).isSameAs(namer);
        assertThat(c.maxConcurrency()).isEqualTo(3);
        assertThat(ParallelConfig.defaults().maxConcurrency()).isEqualTo(ParallelConfig.DEFAULT_MAX_CONCURRENCY);
        assertThat(ParallelConfig.defaults().completion()).isEqualTo(CompletionConfig.allCompleted());
        assertThat(ParallelConfig.defaults().nesting()).isEqualTo(ParallelConfig.Nesting.NESTED);
        assertThat(ParallelConfig.defaults().itemSerDes()).isNull();
        assertThat(ParallelConfig.defaults().resultSerDes()).isNull();
        assertThat(ParallelConfig.defaults().itemNamer()).isNull();
        assertThat(changed)
                .hasToString("ParallelConfig{maxConcurrency=5, completion=CompletionConfig[minSuccessful=null, "
                        + "toleratedFailureCount=0, toleratedFailurePercentage=null], nesting=FLAT}");
        assertThat(ParallelConfig.builder().maxConcurrency(1).build().maxConcurrency())
                .isEqualTo(1);
        assertThatThrownBy(() -> ParallelConfig.builder().maxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrency must be at least 1, was 0; leave it unset for the default of 64");
        assertThatThrownBy(() -> ParallelConfig.builder().completion(null)).hasMessage("completion must not be null");
        assertThatThrownBy(() -> ParallelConfig.builder().nesting(null)).hasMessage("nesting must not be null");
    }
}
