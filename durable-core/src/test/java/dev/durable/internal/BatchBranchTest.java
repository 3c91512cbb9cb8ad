package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.BatchItem;
import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.ContextFunction;
import dev.durable.ManualClock;
import dev.durable.MapFunction;
import dev.durable.ParallelConfig;
import dev.durable.TypeToken;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.ExecutionRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the branches of {@code parallel} and {@code map} run, end and come back after a restart. */
class BatchBranchTest {
    @Test
    void aBranchThatFailedBeforeARestartStaysFailedEvenIfItsCodeWouldNowSucceed() {
        AtomicInteger firstBranchRuns = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("par", String.class, String.class, (in, ctx) -> {
            List<ContextFunction<String>> branches = List.of(
                    c -> {
                        if (firstBranchRuns.incrementAndGet() == 1) {
                            throw new IllegalStateException("first time only");
                        }
                        return "fine";
                    },
                    c -> {
                        c.wait("nap", Duration.ofHours(1));
                        return "rested";
                    });
            BatchResult<String> r = ctx.parallel("two", String.class, branches, ParallelConfig.defaults());
            return r.items().get(0).status() + " " + r.items().get(1).status();
        }))) {
            f.engine.start("par", "p", "x");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("FAILED SUCCEEDED");
            assertThat(firstBranchRuns).hasValue(1);
        }
    }

    @Test
    void aBranchWhoseResultWasJournaledIsNotRunAgainAfterARestartButOneTooLargeToJournalIs() {
        assertThat(runsOfTheFirstBranchAcrossARestart(10)).isEqualTo(1);
        // rebuilt in each run of the execution: the first, the one after the restart and the one the timer wakes
        assertThat(runsOfTheFirstBranchAcrossARestart(5_000)).isEqualTo(3);
    }

    /** Maps {@code [size, wait]} one item at a time, across a restart while the second waits; the first's body runs. */
    private int runsOfTheFirstBranchAcrossARestart(int size) {
        AtomicInteger firstRuns = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(
                e -> e.register(
                        "map",
                        new TypeToken<List<Integer>>() {},
                        new TypeToken<Integer>() {},
                        (in, ctx) -> ctx
                                .map(
                                        "sizes",
                                        in,
                                        String.class,
                                        (item, i, c) -> {
                                            if (item < 0) {
                                                c.wait("nap", Duration.ofHours(1));
                                                return "";
                                            }
                                            firstRuns.incrementAndGet();
                                            return "x".repeat(item);
                                        },
                                        ParallelConfig.builder()
                                                .maxConcurrency(1)
                                                .build())
                                .results()
                                .stream()
                                .mapToInt(String::length)
                                .sum()),
                1_000)) {
            f.engine.start("map", "m", List.of(size, -1));
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<Integer>execution("m").result(Duration.ofSeconds(5)))
                    .isEqualTo(size);
        }
        return firstRuns.get();
    }

    @Test
    void onPlatformThreadsAMapWithoutALimitOfItsOwnRunsAtMostTheDefaultNumberOfBranchesAtOnce() throws Exception {
        int limit = ParallelConfig.DEFAULT_MAX_CONCURRENCY;
        CountDownLatch allowedStarted = new CountDownLatch(limit);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        List<Integer> items =
                java.util.stream.IntStream.range(0, limit + 1).boxed().toList();
        try (DurableEngine engine = DurableEngine.builder()
                .journal(new MemoryJournal())
                .clock(new ManualClock())
                .virtualThreads(false)
                .build()) {
            registerMap(
                    engine,
                    (item, i, c) -> {
                        started.incrementAndGet();
                        allowedStarted.countDown();
                        release.await();
                        return item;
                    },
                    ParallelConfig.defaults());
            engine.start("map", "m", items);
            assertThat(allowedStarted.await(10, TimeUnit.SECONDS)).isTrue();
            int startedWhileAllBlocked = started.get();
            release.countDown();
            assertThat(engine.<Integer>execution("m").result(Duration.ofSeconds(10)))
                    .isEqualTo(limit + 1);
            assertThat(startedWhileAllBlocked).isEqualTo(limit);
        }
    }

    @Test
    void eachBranchBodyEndsAsAnAttemptThatSucceededFailedOrSuspended() {
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        run(r, ParallelConfig.Nesting.NESTED);
        assertThat(r.matching("attempt-end 1/"))
                .containsExactlyInAnyOrder(
                        "attempt-end 1/1 1 SUCCEEDED",
                        "attempt-end 1/2 1 FAILED",
                        "attempt-end 1/3 1 SUSPENDED",
                        "attempt-end 1/3 2 SUCCEEDED");
    }

    @Test
    void flatBranchesAndExecutionsAPluginDoesNotObserveHaveNoBranchAttempts() {
        PluginHooksTest.Recorder flat = new PluginHooksTest.Recorder();
        run(flat, ParallelConfig.Nesting.FLAT);
        assertThat(flat.matching("attempt-")).isEmpty();
        assertThat(flat.lines).noneMatch(l -> l.contains("PARALLEL_BRANCH"));

        PluginHooksTest.Recorder declining = new PluginHooksTest.Recorder() {
            @Override
            public boolean observes(ExecutionRef execution) {
                return false;
            }
        };
        run(declining, ParallelConfig.Nesting.NESTED);
        assertThat(declining.matching("attempt-")).isEmpty();
        assertThat(declining.lines).contains("exec-start p");
    }

    /** Runs a parallel of three branches (succeeds, fails, waits an hour) under {@code plugin}. */
    private static void run(DurablePlugin plugin, ParallelConfig.Nesting nesting) {
        Consumer<DurableEngine> registration = e -> e.register("par", String.class, String.class, (in, ctx) -> {
            List<ContextFunction<String>> branches = List.of(
                    c -> "ok",
                    c -> {
                        throw new IllegalStateException("no");
                    },
                    c -> {
                        c.wait("nap", Duration.ofHours(1));
                        return "late";
                    });
            return ctx
                    .parallel(
                            "three",
                            String.class,
                            branches,
                            ParallelConfig.builder().nesting(nesting).build())
                    .items()
                    .stream()
                    .map(BatchItem::status)
                    .toList()
                    .toString();
        });
        try (EngineFixture f = new EngineFixture(none -> {}, plugin)) {
            DurableEngine e = f.engine;
            ManualClock clock = f.clock;
            registration.accept(e);
            e.start("par", "p", "x");
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofHours(1));
            assertThat(e.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("[SUCCEEDED, FAILED, SUCCEEDED]");
        }
    }

    @Test
    void aBatchWaitingOnlyForACallbackIsReportedAsWaitingForTheCallbackAndOnATimerForTheEarliestTimer() {
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        ContextFunction<String> approval =
                c -> c.waitForCallback("approval", String.class, (id, step) -> {}, CallbackConfig.defaults());
        ContextFunction<String> nap = c -> {
            c.wait("nap", Duration.ofHours(1));
            return "late";
        };
        try (EngineFixture f = new EngineFixture(
                e -> {
                    registerParallel(e, "callbacks", List.of(c -> "now", approval));
                    registerParallel(e, "mixed", List.of(approval, nap));
                },
                r)) {
            f.engine.start("callbacks", "c", "x");
            assertThat(f.engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(r.matching("inv-end")).containsExactly("inv-end PENDING CALLBACK");
            r.lines.clear();
            f.engine.start("mixed", "m", "x");
            assertThat(f.engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(r.matching("inv-end")).containsExactly("inv-end PENDING WAIT");
        }
    }

    @Test
    void aBranchDueToStartAfterItsExecutionWasCancelledRunsNoneOfItsCode() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger laterBodies = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> registerMap(
                e,
                (item, i, c) -> {
                    if (i == 0) {
                        firstRunning.countDown();
                        release.await();
                    } else {
                        laterBodies.incrementAndGet();
                    }
                    return item;
                },
                ParallelConfig.builder().maxConcurrency(1).build()))) {
            f.engine.start("map", "m", List.of(1, 2, 3));
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.engine.cancel("m")).isTrue();
            release.countDown();
            assertThat(f.engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(f.engine.execution("m").status()).isEqualTo(dev.durable.ExecutionStatus.CANCELLED);
            assertThat(laterBodies)
                    .as("branches after the cancel never start their code")
                    .hasValue(0);
        }
    }

    /** Registers {@code map}: its input list of integers mapped through {@code body}; returns how many results. */
    private static void registerMap(DurableEngine engine, MapFunction<Integer, Integer> body, ParallelConfig config) {
        engine.register(
                "map",
                new TypeToken<List<Integer>>() {},
                new TypeToken<Integer>() {},
                (in, ctx) -> ctx.map("items", in, Integer.class, body, config)
                        .results()
                        .size());
    }

    /** Registers {@code function}: runs {@code branches} in parallel and returns their items. */
    private static void registerParallel(
            DurableEngine engine, String function, List<ContextFunction<String>> branches) {
        engine.register(
                function,
                String.class,
                String.class,
                (in, ctx) -> ctx.parallel("wait", String.class, branches, ParallelConfig.defaults())
                        .items()
                        .toString());
    }
}
