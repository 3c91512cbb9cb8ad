package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.ManualClock;
import dev.durable.ParallelConfig;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.AttemptEnd;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.ExecutionEnd;
import dev.durable.spi.plugin.ExecutionRef;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.InvocationStart;
import dev.durable.spi.plugin.JournalCommit;
import dev.durable.spi.plugin.OperationChange;
import dev.durable.spi.plugin.OperationEnd;
import dev.durable.spi.plugin.OperationKind;
import dev.durable.spi.plugin.OperationStart;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The plugin contract: which hooks fire when, exactly once where promised, and never change an outcome. */
class PluginHooksTest {

    /** Writes each hook as a line, e.g. {@code op-start 2 w STARTED replay}. */
    static class Recorder implements DurablePlugin {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        List<String> matching(String prefix) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
            }
        }

        @Override
        public void onExecutionStart(ExecutionRef e) {
            lines.add("exec-start " + e.name());
        }

        @Override
        public void onExecutionEnd(ExecutionEnd e) {
            lines.add("exec-end " + e.status());
        }

        @Override
        public void onInvocationStart(InvocationStart s) {
            lines.add("inv-start first=" + s.firstInvocation() + " ops=" + s.operationCount() + " changed="
                    + s.changedOperations());
        }

        @Override
        public void onInvocationEnd(InvocationEnd e) {
            lines.add("inv-end " + e.status() + (e.suspendedOn() == null ? "" : " " + e.suspendedOn()));
        }

        @Override
        public void onOperationStart(OperationStart s) {
            lines.add("op-start " + s.id() + " " + s.name() + " " + s.subKind() + " parent=" + s.parentId()
                    + " attempt=" + s.attempt() + (s.replay() ? " replay" : ""));
        }

        @Override
        public void onOperationEnd(OperationEnd e) {
            lines.add("op-end " + e.id() + " " + e.name() + " " + e.subKind() + " " + e.status() + " attempt="
                    + e.attempt());
        }

        @Override
        public void onAttemptStart(AttemptStart s) {
            lines.add("attempt-start " + s.operationId() + " " + s.attempt()
                    + (s.replayingChildren() ? " replaying" : ""));
        }

        @Override
        public void onAttemptEnd(AttemptEnd e) {
            lines.add("attempt-end " + e.start().operationId() + " " + e.start().attempt() + " " + e.outcome());
        }

        @Override
        public void onOperationChange(OperationChange c) {
            c.operations().forEach(o -> lines.add("change " + o.id() + " " + o.status()));
        }
    }

    /** Throws from every hook. */
    static final class Broken implements DurablePlugin {
        final AtomicInteger calls = new AtomicInteger();

        private void boom() {
            calls.incrementAndGet();
            throw new IllegalStateException("broken plugin");
        }

        @Override
        public void onExecutionStart(ExecutionRef e) {
            boom();
        }

        @Override
        public void onExecutionEnd(ExecutionEnd e) {
            boom();
        }

        @Override
        public void onInvocationStart(InvocationStart s) {
            boom();
        }

        @Override
        public void onInvocationEnd(InvocationEnd e) {
            boom();
        }

        @Override
        public void onOperationStart(OperationStart s) {
            boom();
        }

        @Override
        public void onOperationEnd(OperationEnd e) {
            boom();
        }

        @Override
        public void onAttemptStart(AttemptStart s) {
            boom();
        }

        @Override
        public void onAttemptEnd(AttemptEnd e) {
            boom();
        }

        @Override
        public void onOperationChange(OperationChange c) {
            boom();
        }
    }

    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock();

    private DurableEngine engine(Consumer<DurableEngine> register, DurablePlugin... plugins) {
        journal.reopen();
        EngineBuilder b = DurableEngine.builder().journal(journal).clock(clock).threads(4);
        for (DurablePlugin p : plugins) {
            b.plugin(p);
        }
        DurableEngine engine = b.build();
        register.accept(engine);
        return engine;
    }

    private void settle(DurableRuntime engine) {
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private static void stepWaitStep(DurableEngine e) {
        e.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("a", String.class, s -> in + "a");
            ctx.wait("w", Duration.ofMinutes(1));
            return ctx.step("b", String.class, s -> a + "b");
        });
    }

    @Test
    void aPluginThatDoesNotObserveAnExecutionHearsOnlyItsStartAndEndWhileOthersHearEverything() {
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        Recorder sampling = new Recorder() {
            @Override
            public boolean observes(ExecutionRef execution) {
                asked.add(execution.name());
                return execution.name().equals("seen");
            }
        };
        Recorder all = new Recorder();
        AtomicReference<String> id = new AtomicReference<>();
        Consumer<DurableEngine> functions = en -> {
            stepWaitStep(en);
            en.<String, String>register(
                    "cb",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.waitForCallback(
                            "approval", String.class, (cb, s) -> id.set(cb), CallbackConfig.defaults()));
        };
        try (DurableEngine e = engine(functions, sampling, all)) {
            e.start("fn", "seen", "in");
            e.start("fn", "unseen", "in");
            e.start("cb", "unseen-callback", "in");
            settle(e);
            clock.advance(Duration.ofMinutes(1));
            e.completeCallback(id.get(), "yes");
            settle(e);
        }
        // asked once per execution, although each ran twice
        assertThat(asked).containsExactlyInAnyOrder("seen", "unseen", "unseen-callback");
        assertThat(sampling.matching("exec-start"))
                .containsExactlyInAnyOrder("exec-start seen", "exec-start unseen", "exec-start unseen-callback");
        assertThat(sampling.matching("exec-end")).hasSize(3);
        // of the rest, the sampling plugin heard exactly what a plugin hears of such an execution run alone
        Recorder alone = new Recorder();
        try (DurableEngine e = engine(PluginHooksTest::stepWaitStep, alone)) {
            e.start("fn", "seen-alone", "in");
            settle(e);
            clock.advance(Duration.ofMinutes(1));
            settle(e);
        }
        List<String> heard =
                sampling.lines.stream().filter(l -> !l.startsWith("exec-")).toList();
        assertThat(heard)
                .isNotEmpty()
                .containsExactlyElementsOf(
                        alone.lines.stream().filter(l -> !l.startsWith("exec-")).toList());
        // and the plugin that observes everything heard the callback's end, completed from outside
        assertThat(all.matching("op-end 1 approval")).hasSize(1);
        assertThat(sampling.matching("op-end 1 approval")).isEmpty();
    }

    @Test
    void aRunThatReturnsAfterItsExecutionWasCancelledIsNotReportedAsSucceeded() throws Exception {
        Recorder r = new Recorder();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (DurableEngine e = engine(
                en -> en.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
                    running.countDown();
                    release.await();
                    return in;
                }),
                r)) {
            e.start("fn", "x", "in");
            assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(e.cancel("x")).isTrue();
            release.countDown();
            settle(e);
            assertThat(e.execution("x").status()).isEqualTo(dev.durable.ExecutionStatus.CANCELLED);
        }
        assertThat(r.matching("inv-end")).containsExactly("inv-end PENDING");
        assertThat(r.matching("exec-end")).containsExactly("exec-end CANCELLED");
    }

    @Test
    void theFirstInvocationIsFlaggedOnceAndFinishedOperationsNeverStartAgain() {
        Recorder r = new Recorder();
        try (DurableEngine e = engine(PluginHooksTest::stepWaitStep, r)) {
            Execution<String> ex = e.start("fn", "x", "in");
            settle(e);
            clock.advance(Duration.ofMinutes(1));
            settle(e);
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("inab");
        }
        assertThat(r.matching("inv-"))
                .containsExactly(
                        "inv-start first=true ops=0 changed=0", "inv-end PENDING WAIT",
                        "inv-start first=false ops=2 changed=0", "inv-end SUCCEEDED");
        assertThat(r.matching("op-start"))
                .containsExactly(
                        "op-start 1 a STEP parent=null attempt=1",
                        "op-start 2 w WAIT parent=null attempt=0",
                        "op-start 2 w WAIT parent=null attempt=0 replay",
                        "op-start 3 b STEP parent=null attempt=1");
        assertThat(r.matching("op-end"))
                .containsExactly(
                        "op-end 1 a STEP SUCCEEDED attempt=1",
                        "op-end 2 w WAIT SUCCEEDED attempt=0",
                        "op-end 3 b STEP SUCCEEDED attempt=1");
        assertThat(r.matching("exec-")).containsExactly("exec-start x", "exec-end SUCCEEDED");
        assertThat(r.matching("change"))
                .containsExactly("change 1 SUCCEEDED", "change 2 STARTED", "change 2 SUCCEEDED", "change 3 SUCCEEDED");
    }

    @Test
    void aFailedAttemptThatWillBeRetriedIsAnAttemptEndNotAnOperationEnd() {
        Recorder r = new Recorder();
        AtomicInteger runs = new AtomicInteger();
        try (DurableEngine e = engine(
                en -> en.<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("flaky", String.class, s -> {
                            if (runs.incrementAndGet() < 3) {
                                throw new IllegalStateException("down");
                            }
                            return "ok";
                        })),
                r)) {
            Execution<String> ex = e.start("fn", "x", "in");
            settle(e);
            clock.advance(Duration.ofSeconds(1));
            settle(e);
            clock.advance(Duration.ofSeconds(2));
            settle(e);
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("ok");
        }
        assertThat(r.matching("attempt-"))
                .containsExactly(
                        "attempt-start 1 1", "attempt-end 1 1 RETRYING",
                        "attempt-start 1 2", "attempt-end 1 2 RETRYING",
                        "attempt-start 1 3", "attempt-end 1 3 SUCCEEDED");
        assertThat(r.matching("op-start"))
                .containsExactly(
                        "op-start 1 flaky STEP parent=null attempt=1",
                        "op-start 1 flaky STEP parent=null attempt=2 replay",
                        "op-start 1 flaky STEP parent=null attempt=3 replay");
        assertThat(r.matching("op-end")).containsExactly("op-end 1 flaky STEP SUCCEEDED attempt=3");
        assertThat(r.matching("inv-end"))
                .containsExactly("inv-end PENDING RETRY", "inv-end PENDING RETRY", "inv-end SUCCEEDED");
    }

    @Test
    void aCallbackEndsWhenItsCompletionIsJournaledAndTheNextRunCountsItAsChanged() {
        Recorder r = new Recorder();
        AtomicReference<String> id = new AtomicReference<>();
        try (DurableEngine e = engine(
                en -> en.<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.waitForCallback(
                                "approval", String.class, (cb, s) -> id.set(cb), CallbackConfig.defaults())),
                r)) {
            Execution<String> ex = e.start("fn", "x", "in");
            settle(e);
            e.completeCallback(id.get(), "yes");
            settle(e);
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("yes");
        }
        assertThat(r.matching("op-end 1")).containsExactly("op-end 1 approval WAIT_FOR_CALLBACK SUCCEEDED attempt=0");
        assertThat(r.matching("inv-"))
                .containsExactly(
                        "inv-start first=true ops=0 changed=0", "inv-end PENDING CALLBACK",
                        "inv-start first=false ops=2 changed=1", "inv-end SUCCEEDED");
        // completed before the second run began: finished in the journal, so it does not start again
        assertThat(r.matching("op-start 1"))
                .containsExactly("op-start 1 approval WAIT_FOR_CALLBACK parent=null attempt=0");
    }

    @Test
    void aRestartReportsEveryOperationAsChangedAndResumesWithReplayStarts() {
        Recorder r = new Recorder();
        DurableEngine first = engine(PluginHooksTest::stepWaitStep, r);
        first.start("fn", "x", "in");
        settle(first);
        first.close();
        try (DurableEngine e = engine(PluginHooksTest::stepWaitStep, r)) {
            settle(e); // the run that resumes it after the restart: it waits again
            clock.advance(Duration.ofMinutes(1));
            settle(e);
            assertThat(e.execution("x").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        assertThat(r.matching("inv-start"))
                .containsExactly(
                        "inv-start first=true ops=0 changed=0",
                        "inv-start first=false ops=2 changed=2",
                        "inv-start first=false ops=2 changed=0");
        assertThat(r.matching("op-end")).hasSize(3);
    }

    @Test
    void bodiesOfContextsBranchesAndItemsAreAttemptsUnderTheirParents() {
        Recorder r = new Recorder();
        try (DurableEngine e = engine(PluginHooksTest::composite, r)) {
            Execution<String> ex = e.start("fn", "x", "in");
            settle(e);
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("c:1:2");
        }
        assertThat(r.matching("op-start"))
                .contains(
                        "op-start 1 ctx CHILD_CONTEXT parent=null attempt=0",
                        "op-start 1/1 inner STEP parent=1 attempt=1",
                        "op-start 2 par PARALLEL parent=null attempt=0",
                        "op-start 2/1 branch-0 PARALLEL_BRANCH parent=2 attempt=0",
                        "op-start 3 items MAP parent=null attempt=0",
                        "op-start 3/2 branch-1 MAP_ITEM parent=3 attempt=0");
        assertThat(r.matching("attempt-start 1 ")).containsExactly("attempt-start 1 1");
        assertThat(r.matching("op-end")).hasSize(1 + 1 + 1 + 1 + 1 + 2);
    }

    private static void composite(DurableEngine e) {
        e.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String c = ctx.runInChildContext("ctx", String.class, child -> child.step("inner", String.class, s -> "c"));
            int p = ctx.parallel("par", Integer.class, List.of(b -> 1), ParallelConfig.defaults())
                    .results()
                    .get(0);
            List<Integer> m = ctx.map(
                            "items", List.of(1, 2), Integer.class, (item, i, b) -> item, ParallelConfig.defaults())
                    .results();
            return c + ":" + p + ":" + m.get(1);
        });
    }

    /** Runs one execution on a fresh journal and clock, so that two runs journal the same times. */
    private static List<HistoryEvent> run(DurablePlugin... plugins) {
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        EngineBuilder b = DurableEngine.builder().journal(journal).clock(clock).threads(4);
        for (DurablePlugin p : plugins) {
            b.plugin(p);
        }
        try (DurableEngine e = b.build()) {
            e.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
                String a = ctx.step("a", String.class, s -> in + "a");
                ctx.wait("w", Duration.ofMinutes(1));
                String c = ctx.runInChildContext("ctx", String.class, ch -> ch.step("inner", String.class, s -> "c"));
                // one item at a time, so that the journal order is the same in every run
                return a
                        + c
                        + ctx.map(
                                        "items",
                                        List.of(1, 2),
                                        Integer.class,
                                        (item, i, x) -> item,
                                        ParallelConfig.builder()
                                                .maxConcurrency(1)
                                                .build())
                                .results();
            });
            Execution<String> ex = e.start("fn", "x", "in");
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofMinutes(1));
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("inac[1, 2]");
            return e.history("x");
        }
    }

    @Test
    void aThrowingPluginChangesNeitherResultNorHistoryAndTheOthersHearEveryHook() {
        List<HistoryEvent> plain = run();
        Recorder alone = new Recorder();
        List<HistoryEvent> withRecorder = run(alone);
        Broken broken = new Broken();
        Recorder beside = new Recorder();
        List<HistoryEvent> withBroken = run(broken, beside);

        assertThat(withBroken).isEqualTo(plain).isEqualTo(withRecorder);
        assertThat(broken.calls.get()).isGreaterThan(9);
        assertThat(sorted(beside.lines)).isEqualTo(sorted(alone.lines));
    }

    @Test
    void aThrowingHookIsLoggedOncePerPluginAndHookAndTheNextPluginStillHearsIt() {
        Broken broken = new Broken();
        Recorder after = new Recorder();
        Plugins plugins = new Plugins(List.of(broken, after));
        ExecutionRef x = new ExecutionRef("x", "fn", clock.now(), null, null, null);
        plugins.fire("onExecutionStart", p -> p.onExecutionStart(x));
        plugins.fire("onExecutionStart", p -> p.onExecutionStart(x));
        assertThat(plugins.failingHooks()).isEqualTo(1);
        plugins.fire("onOperationChange", p -> p.onOperationChange(new OperationChange(x, List.of())));
        assertThat(plugins.failingHooks()).isEqualTo(2);
        assertThat(broken.calls.get()).isEqualTo(3);
        assertThat(after.lines).containsExactly("exec-start x", "exec-start x");
    }

    /** Branches run concurrently: the order of their lines may differ between runs, not the lines. */
    private static List<String> sorted(List<String> lines) {
        synchronized (lines) {
            return lines.stream().sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theJournalIsAskedForItsCommitsOnlyWhenAPluginListensAndEachCommitReachesThatPlugin() {
        CallbackIndexTest.CountingJournal quiet = new CallbackIndexTest.CountingJournal();
        DurableEngine.builder()
                .journal(quiet)
                .clock(clock)
                .plugin(new Recorder())
                .build()
                .close();
        assertThat(quiet.commits).isNull();

        List<JournalCommit> heard = Collections.synchronizedList(new ArrayList<>());
        CallbackIndexTest.CountingJournal listened = new CallbackIndexTest.CountingJournal();
        DurableEngine engine = DurableEngine.builder()
                .journal(listened)
                .clock(clock)
                .plugin(new DurablePlugin() {
                    @Override
                    public void onJournalCommit(JournalCommit commit) {
                        heard.add(commit);
                    }
                })
                .build();
        try (engine) {
            listened.commits.committed(3, 120, 5_000_000);
        }
        assertThat(heard).containsExactly(new JournalCommit(3, 120, Duration.ofMillis(5)));
    }

    @Test
    void readingTheClockAndDecidingAPatchAreNotReportedAsOperations() {
        Recorder r = new Recorder();
        try (DurableEngine e = engine(
                x -> x.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
                    ctx.now();
                    boolean patched = ctx.patched("new-path");
                    return ctx.step("s", String.class, s -> in + patched);
                }),
                r)) {
            assertThat(e.start("fn", "x", "in").result(Duration.ofSeconds(5))).isEqualTo("intrue");
            settle(e);
        }
        assertThat(r.matching("op-"))
                .containsExactly("op-start 2 s STEP parent=null attempt=1", "op-end 2 s STEP SUCCEEDED attempt=1");
    }

    @Test
    void anOperationEndTellsWhenTheOperationBeganAndWhenItEnded() {
        List<OperationEnd> ends = Collections.synchronizedList(new ArrayList<>());
        DurablePlugin plugin = new DurablePlugin() {
            @Override
            public void onOperationEnd(OperationEnd end) {
                ends.add(end);
            }
        };
        Instant began = clock.now();
        try (DurableEngine e = engine(
                x -> x.<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("slow", String.class, s -> {
                            clock.advance(Duration.ofMinutes(1));
                            return in;
                        })),
                plugin)) {
            e.start("fn", "x", "in").result(Duration.ofSeconds(5));
            settle(e);
        }
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.startedAt()).isEqualTo(began);
            assertThat(end.endedAt()).isEqualTo(began.plus(Duration.ofMinutes(1)));
        });
    }

    @Test
    void aChildExecutionTellsPluginsWhenItsParentStarted() {
        List<ExecutionRef> started = Collections.synchronizedList(new ArrayList<>());
        DurablePlugin plugin = new DurablePlugin() {
            @Override
            public void onExecutionStart(ExecutionRef execution) {
                started.add(execution);
            }
        };
        Instant parentStart = clock.now();
        try (DurableEngine e = engine(
                x -> {
                    x.<String, String>register("child", String.class, String.class, (in, ctx) -> in + "!");
                    x.<String, String>register("parent", String.class, String.class, (in, ctx) -> {
                        clock.advance(Duration.ofMinutes(1));
                        return ctx.invoke("kid", "child", in, String.class);
                    });
                },
                plugin)) {
            assertThat(e.start("parent", "p", "hi").result(Duration.ofSeconds(5)))
                    .isEqualTo("hi!");
            settle(e);
        }
        assertThat(started).hasSize(2);
        assertThat(started.get(0).parentStartedAt()).isNull();
        assertThat(started.get(1).parent()).isEqualTo("p");
        assertThat(started.get(1).startedAt()).isEqualTo(parentStart.plus(Duration.ofMinutes(1)));
        assertThat(started.get(1).parentStartedAt()).isEqualTo(parentStart);
    }

    @Test
    void theBodyOfAChildContextIsAnAttemptThatEndsWithIt() {
        Recorder r = new Recorder();
        try (DurableEngine e = engine(PluginHooksTest::composite, r)) {
            e.start("fn", "x", "in").result(Duration.ofSeconds(5));
            settle(e);
        }
        assertThat(r.matching("attempt-end 1 ")).containsExactly("attempt-end 1 1 SUCCEEDED");
    }

    @Test
    void anItemOfAMapIsReportedAsAMapItemWhenItsAttemptStartsAndWhenItEnds() {
        List<AttemptStart> attempts = Collections.synchronizedList(new ArrayList<>());
        Recorder r = new Recorder() {
            @Override
            public void onAttemptStart(AttemptStart s) {
                attempts.add(s);
            }
        };
        try (DurableEngine e = engine(PluginHooksTest::composite, r)) {
            e.start("fn", "x", "in").result(Duration.ofSeconds(5));
            settle(e);
        }
        assertThat(attempts)
                .filteredOn(a -> a.operationId().startsWith("3/"))
                .hasSize(2)
                .allSatisfy(a -> assertThat(a.subKind()).isEqualTo(OperationKind.MAP_ITEM));
        assertThat(r.matching("op-end 3/"))
                .containsExactlyInAnyOrder(
                        "op-end 3/1 branch-0 MAP_ITEM SUCCEEDED attempt=0",
                        "op-end 3/2 branch-1 MAP_ITEM SUCCEEDED attempt=0");
    }

    @Test
    void aRunWhoseHandlerThrowsEndsForPluginsAsFailed() {
        Recorder r = new Recorder();
        try (DurableEngine e = engine(
                x -> x.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
                    throw new IllegalArgumentException("bad " + in);
                }),
                r)) {
            e.start("fn", "x", "in");
            settle(e);
        }
        assertThat(r.matching("inv-end")).containsExactly("inv-end FAILED");
        assertThat(r.matching("exec-end")).containsExactly("exec-end FAILED");
    }

    @Test
    void aChildContextWhoseResultIsRebuiltOnReplayRunsItsBodyAgainAsAReplayingAttempt() {
        Recorder r = new Recorder();
        EngineBuilder b = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .threads(4)
                .payloadLimit(100)
                .plugin(r);
        try (DurableEngine e = b.build()) {
            e.<String, Integer>register("fn", String.class, Integer.class, (in, ctx) -> {
                // too large to journal: rebuilt from its children's results on every replay
                String big = ctx.runInChildContext(
                        "ctx",
                        String.class,
                        child -> "x".repeat(child.step("n", Integer.class, s -> 80)) + "y".repeat(80));
                ctx.wait("w", Duration.ofMinutes(1));
                return big.length();
            });
            Execution<Integer> ex = e.start("fn", "x", "in");
            settle(e);
            clock.advance(Duration.ofMinutes(1));
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo(160);
            settle(e);
        }
        assertThat(r.matching("attempt-start 1 ")).containsExactly("attempt-start 1 1", "attempt-start 1 2 replaying");
    }
}
