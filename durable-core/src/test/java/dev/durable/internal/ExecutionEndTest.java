package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Execution;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.ManualClock;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.OperationEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How an execution ends, is listed, is retried and stops, as its caller and the journal see it. */
class ExecutionEndTest {
    @Test
    void cancellingAWaitingExecutionDropsItsTimerAndRecordsWhenItEnded() {
        try (EngineFixture f = new EngineFixture(e -> e.register("sleep", String.class, String.class, (in, ctx) -> {
            ctx.wait("nap", Duration.ofHours(2));
            return in;
        }))) {
            Instant start = f.clock.now();
            f.engine.start("sleep", "x", "in");
            f.idle();
            assertThat(f.clock.pendingTimers()).isEqualTo(1);
            f.advance(Duration.ofMinutes(5));
            assertThat(f.engine.cancel("x")).isTrue();
            assertThat(f.clock.pendingTimers()).isZero();
            ExecutionInfo info = f.engine.list().get(0);
            assertThat(info.status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(info.startedAt()).isEqualTo(start);
            assertThat(info.finishedAt()).isEqualTo(start.plus(Duration.ofMinutes(5)));
            assertThat(info.function()).isEqualTo("sleep");
            assertThat(info.parent()).isNull();
            f.restart();
            assertThat(f.engine.list().get(0).finishedAt()).isEqualTo(start.plus(Duration.ofMinutes(5)));
            assertThatThrownBy(() -> f.engine.execution("x").result(Duration.ofSeconds(1)))
                    .isInstanceOf(ExecutionCancelledException.class)
                    .hasMessage("execution 'x' was cancelled");
        }
    }

    @Test
    void onlyAFailedExecutionCanBeRetriedAndARetryRunsItToANewResult() {
        AtomicInteger runs = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "flaky",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "s",
                        String.class,
                        s -> {
                            if (runs.incrementAndGet() == 1) {
                                throw new IllegalStateException("first run fails");
                            }
                            return "ok on run " + runs.get();
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build())))) {
            Execution<String> first = f.engine.start("flaky", "x", "in");
            assertThatThrownBy(() -> first.result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasMessage("execution 'x' failed: java.lang.IllegalStateException: first run fails");
            assertThat(f.engine.list().get(0).finishedAt()).isNotNull();
            Execution<String> again = f.engine.retry("x");
            assertThat(again.result(Duration.ofSeconds(5))).isEqualTo("ok on run 2");
            assertThat(f.engine.execution("x").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThatThrownBy(() -> f.engine.retry("x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("execution 'x' is SUCCEEDED; only a FAILED execution can be retried");
            f.restart();
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("ok on run 2");
        }
    }

    @Test
    void anExecutionCancelledWhileAStepRunsStopsBeforeItsNextOperation() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger second = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("two", String.class, String.class, (in, ctx) -> {
            ctx.step("first", String.class, s -> {
                inStep.countDown();
                release.await(10, TimeUnit.SECONDS);
                return "1";
            });
            return ctx.step("second", String.class, s -> "2#" + second.incrementAndGet());
        }))) {
            f.engine.start("two", "x", "in");
            assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.engine.cancel("x")).isTrue();
            release.countDown();
            f.idle();
            assertThat(second).hasValue(0);
            assertThat(f.engine.execution("x").status()).isEqualTo(ExecutionStatus.CANCELLED);
            assertThat(f.engine
                            .history("x")
                            .get(f.engine.history("x").size() - 1)
                            .kind())
                    .isEqualTo(HistoryEvent.Kind.EXECUTION_CANCELLED);
        }
    }

    @Test
    void anInvokedExecutionNamesItsParent() {
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("leaf", String.class, String.class, (in, ctx) -> in + "!");
            e.register("root", String.class, String.class, (in, ctx) -> ctx.invoke("call", "leaf", in, String.class));
        })) {
            assertThat(f.engine.<String>start("root", "r", "hi").result(Duration.ofSeconds(5)))
                    .isEqualTo("hi!");
            assertThat(f.engine.list())
                    .extracting(ExecutionInfo::name, ExecutionInfo::parent)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("r", null),
                            org.assertj.core.groups.Tuple.tuple("r/1", "r"));
        }
    }

    /** Hears how each run ended and which operations ended. */
    private static final class Ends implements DurablePlugin {
        final List<InvocationEnd> runs = new CopyOnWriteArrayList<>();
        final List<String> operations = new CopyOnWriteArrayList<>();

        @Override
        public void onInvocationEnd(InvocationEnd end) {
            runs.add(end);
        }

        @Override
        public void onOperationEnd(OperationEnd end) {
            operations.add(end.name());
        }
    }

    private static DurableEngine withPlugin(Ends ends) {
        return DurableEngine.builder()
                .journal(new MemoryJournal())
                .clock(new ManualClock())
                .plugin(ends)
                .build();
    }

    @Test
    void aStepThatEndsAfterItsExecutionWasCancelledIsNeitherJournaledNorReportedAndTheRunSaysWhyItStopped()
            throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Ends ends = new Ends();
        try (DurableEngine engine = withPlugin(ends)) {
            engine.register("two", String.class, String.class, (in, ctx) -> {
                ctx.step("first", String.class, s -> {
                    inStep.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "1";
                });
                return ctx.step("second", String.class, s -> "2");
            });
            engine.start("two", "x", "in");
            assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
            engine.cancel("x");
            release.countDown();
            assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(ends.operations).isEmpty();
        assertThat(ends.runs)
                .singleElement()
                .satisfies(end -> assertThat(end.error().message())
                        .isEqualTo("execution 'x' has ended (CANCELLED); this run stops without journaling more"));
    }

    @Test
    void aRunThatReachesItsNextOperationAfterACancelStopsThereSayingTheExecutionWasCancelled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Ends ends = new Ends();
        try (DurableEngine engine = withPlugin(ends)) {
            engine.register("late", String.class, String.class, (in, ctx) -> {
                running.countDown();
                release.await(10, TimeUnit.SECONDS);
                return ctx.step("after", String.class, s -> "never");
            });
            engine.start("late", "x", "in");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            engine.cancel("x");
            release.countDown();
            assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(engine.history("x")).noneMatch(h -> "after".equals(h.name()));
        }
        assertThat(ends.runs)
                .singleElement()
                .satisfies(end -> assertThat(end.error().message()).isEqualTo("execution 'x' was cancelled"));
    }

    @Test
    void readingACallbackAfterItsExecutionWasCancelledStopsTheRunSayingSo() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Ends ends = new Ends();
        try (DurableEngine engine = withPlugin(ends)) {
            engine.register("late", String.class, String.class, (in, ctx) -> {
                dev.durable.DurableCallback<String> answer =
                        ctx.createCallback("answer", String.class, dev.durable.CallbackConfig.defaults());
                running.countDown();
                release.await(10, TimeUnit.SECONDS);
                return answer.get();
            });
            engine.start("late", "x", "in");
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            engine.cancel("x");
            release.countDown();
            assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(ends.runs).singleElement().satisfies(end -> {
            assertThat(end.suspendedOn()).isNull();
            assertThat(end.error().message()).isEqualTo("execution 'x' was cancelled");
        });
    }

    @Test
    void aRunThatReachesItsNextOperationWhileTheRuntimeClosesStopsThereAndResumesWhenItOpensAgain() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Ends ends = new Ends();
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        java.util.function.Consumer<DurableEngine> register =
                e -> e.register("late", String.class, String.class, (in, ctx) -> {
                    running.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return ctx.step("after", String.class, s -> in + " done");
                });
        DurableEngine engine = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .plugin(ends)
                .build();
        register.accept(engine);
        engine.start("late", "x", "in");
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closing = new Thread(engine::close, "closing");
        closing.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!refusesChanges(engine)) { // the runtime is closing: it refuses every change from outside
            assertThat(System.nanoTime() - deadline).isNegative();
            Thread.onSpinWait();
        }
        release.countDown();
        closing.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(closing.isAlive()).isFalse();
        assertThat(journal.read("x")).hasSize(1); // its start only
        assertThat(ends.runs)
                .singleElement()
                .satisfies(end -> assertThat(end.error().message())
                        .isEqualTo("the runtime is closing; execution 'x' resumes when it is opened again"));

        journal.reopen();
        try (DurableEngine reopened =
                DurableEngine.builder().journal(journal).clock(clock).build()) {
            register.accept(reopened);
            assertThat(reopened.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("in done");
        }
    }

    private static boolean refusesChanges(DurableEngine engine) {
        try {
            engine.heartbeatCallback("0123456789abcdef0123456789abcdef");
            return false;
        } catch (dev.durable.UnknownCallbackException notYet) {
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }
}
