package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.BatchResult;
import dev.durable.ContextFunction;
import dev.durable.DurableContext;
import dev.durable.ManualClock;
import dev.durable.ParallelConfig;
import dev.durable.spi.journal.MemoryJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnJre;
import org.junit.jupiter.api.condition.JRE;

/** Where handlers and branches run: the runtime's own threads, a given thread factory or executor, virtual threads. */
class HandlerThreadsTest {
    private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
    private final Set<String> branchThreads = ConcurrentHashMap.newKeySet();

    /** Records the thread of the handler, of a step, and of each of two parallel branches. */
    private String record(String in, DurableContext ctx) {
        handlerThreads.add(Thread.currentThread().getName());
        ctx.step("s", String.class, s -> {
            handlerThreads.add(Thread.currentThread().getName());
            return "ok";
        });
        ContextFunction<String> branch = c -> {
            branchThreads.add(Thread.currentThread().getName());
            return "b";
        };
        ctx.parallel("p", String.class, List.of(branch, branch), ParallelConfig.defaults());
        return in;
    }

    /** Runs {@link #record} in one execution of an engine built from {@code builder}. */
    private void runRecorded(EngineBuilder builder) {
        try (DurableEngine engine = builder.build()) {
            engine.register("f", String.class, String.class, this::record);
            assertThat(engine.<String>start("f", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("in");
        }
    }

    private static EngineBuilder engine() {
        return DurableEngine.builder().journal(new MemoryJournal()).clock(new ManualClock());
    }

    @Test
    void handlersAndBranchesRunOnTheThreadsOfTheGivenFactory() {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory mine = r -> {
            Thread t = new Thread(r, "mine-" + made.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        runRecorded(engine().threadFactory(mine));
        assertThat(handlerThreads).isNotEmpty().allMatch(n -> n.startsWith("mine-"));
        assertThat(branchThreads).isNotEmpty().allMatch(n -> n.startsWith("mine-"));
    }

    @Test
    void onPlatformThreadsHandlersAndBranchesRunOnDaemonThreadsThatDoNotKeepTheJvmAlive() {
        Set<Boolean> daemon = ConcurrentHashMap.newKeySet();
        try (DurableEngine engine = engine().virtualThreads(false).build()) {
            engine.register("f", String.class, String.class, (in, ctx) -> {
                daemon.add(Thread.currentThread().isDaemon());
                record(in, ctx);
                ctx.parallel(
                        "daemons",
                        Boolean.class,
                        List.of(c -> daemon.add(Thread.currentThread().isDaemon())),
                        ParallelConfig.defaults());
                return in;
            });
            assertThat(engine.<String>start("f", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("in");
        }
        assertThat(daemon).containsExactly(true);
        assertThat(handlerThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-runner-"));
        assertThat(branchThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-branch-"));
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_23)
    void beforeJava24HandlersAndBranchesRunOnTheRuntimesPlatformThreadsByDefault() {
        runRecorded(engine());
        assertThat(handlerThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-runner-"));
        assertThat(branchThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-branch-"));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_24)
    void fromJava24HandlersAndBranchesRunOnVirtualThreadsByDefault() {
        runRecorded(engine());
        assertThat(handlerThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-virtual-"));
        assertThat(branchThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-virtual-"));
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_24)
    void fromJava24AThreadFactoryOrAnExecutorStillRunsHandlersOnPlatformThreads() {
        runRecorded(engine().threadFactory(r -> new Thread(r, "mine")));
        assertThat(handlerThreads).containsOnly("mine");
        assertThat(branchThreads).containsOnly("mine");

        handlerThreads.clear();
        branchThreads.clear();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "given"));
        try {
            runRecorded(engine().executor(executor));
        } finally {
            executor.shutdownNow();
        }
        assertThat(handlerThreads).containsOnly("given");
        assertThat(branchThreads).isNotEmpty().allMatch(n -> n.startsWith("durable-branch-"));
    }

    @Test
    void virtualThreadsAreTheDefaultFromJava24WithoutAThreadFactoryOrExecutorAndAnExplicitChoiceWins() {
        ThreadFactory factory = Thread::new;
        Executor executor = Runnable::run;
        assertThat(HandlerThreads.onVirtual(null, null, null, 17)).isFalse();
        assertThat(HandlerThreads.onVirtual(null, null, null, 23)).isFalse();
        assertThat(HandlerThreads.onVirtual(null, null, null, 24)).isTrue();
        assertThat(HandlerThreads.onVirtual(null, null, null, 25)).isTrue();
        assertThat(HandlerThreads.onVirtual(null, factory, null, 25)).isFalse();
        assertThat(HandlerThreads.onVirtual(null, null, executor, 25)).isFalse();
        assertThat(HandlerThreads.onVirtual(false, null, null, 25)).isFalse();
        assertThat(HandlerThreads.onVirtual(true, null, null, 21)).isTrue();
        assertThat(HandlerThreads.onVirtual(true, factory, null, 21)).isTrue(); // refused with its reason by of(...)
    }

    @Test
    void aHandlerRunsWithItsFunctionsClassLoaderAndLeavesTheExecutorsThreadAsItFoundIt() throws Exception {
        ClassLoader foreign = new java.net.URLClassLoader(new java.net.URL[0], null);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "foreign");
            t.setDaemon(true);
            t.setContextClassLoader(foreign);
            return t;
        });
        try {
            List<ClassLoader> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (DurableEngine engine = engine().executor(executor).build()) {
                engine.register("f", String.class, String.class, (in, ctx) -> {
                    seen.add(Thread.currentThread().getContextClassLoader());
                    return in;
                });
                assertThat(engine.<String>start("f", "x", "in").result(Duration.ofSeconds(5)))
                        .isEqualTo("in");
                assertThat(engine.awaitIdle(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(seen).containsExactly(HandlerThreadsTest.class.getClassLoader());
            assertThat(executor.submit(() -> Thread.currentThread().getContextClassLoader())
                            .get(5, TimeUnit.SECONDS))
                    .isSameAs(foreign);
            assertThatThrownBy(
                            () -> executor.submit(dev.durable.Durable::context).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anExecutorThatRefusesAHandlerLeavesTheRuntimeIdleAndTheExecutionUnfinished() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.shutdown();
        try (DurableEngine engine = engine().executor(executor).build()) {
            engine.register("f", String.class, String.class, (in, ctx) -> in);
            engine.start("f", "x", "in");
            assertThat(engine.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(engine.execution("x").future()).isNotDone();
        }
    }

    @Test
    void closingTheRuntimeEndsTheThreadsItMade() throws Exception {
        List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThreadFactory mine = r -> {
            Thread t = new Thread(r, "closing-" + made.size());
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        runRecorded(engine().threadFactory(mine));
        assertThat(made).isNotEmpty();
        for (Thread t : made) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(made).noneMatch(Thread::isAlive);
    }

    @Test
    void handlersRunOnTheGivenExecutorWhichTheRuntimeLeavesRunning() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "given-executor"));
        try {
            runRecorded(engine().executor(executor));
            assertThat(handlerThreads).containsOnly("given-executor");
            assertThat(branchThreads).noneMatch(n -> n.equals("given-executor"));
            assertThat(executor.isShutdown()).isFalse();
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anExecutorAndAThreadCountAreRefusedTogether() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> engine().executor(executor).threads(4).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("leave out threads(4) or the executor");
        } finally {
            executor.shutdown();
        }
    }

    @Test
    @EnabledOnJre(JRE.JAVA_17)
    void virtualThreadsAreRefusedOnJava17WithTheReason() {
        assertThatThrownBy(() -> engine().virtualThreads(true))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("virtual threads need Java 21 or later, but this JVM is Java 17")
                .hasMessageContaining("leave virtualThreads off");
        assertThat(engine().virtualThreads(false)).isNotNull();
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void virtualThreadsAreRefusedWithAThreadFactoryOrAnExecutorNamingWhichToLeaveOut() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> engine().virtualThreads(true)
                            .threadFactory(Thread::new)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("virtualThreads(true) chooses the threads itself; leave out threadFactory(...), or"
                            + " virtualThreads");
            assertThatThrownBy(() ->
                            engine().virtualThreads(true).executor(executor).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("virtualThreads(true) chooses the threads itself; leave out executor(...), or"
                            + " virtualThreads");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void onVirtualThreadsWithAThreadCountHandlersRunOnVirtualThreadsNamedForTheRuntime() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        try (DurableEngine engine = engine().virtualThreads(true).threads(2).build()) {
            engine.register("f", String.class, String.class, (in, ctx) -> {
                names.add(Thread.currentThread().getName());
                return in;
            });
            assertThat(engine.<String>start("f", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("in");
        }
        assertThat(names).singleElement().asString().startsWith("durable-virtual-");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void onVirtualThreadsHandlersAndBranchesRunOnVirtualThreads() throws Exception {
        Set<Boolean> virtual = ConcurrentHashMap.newKeySet();
        java.lang.reflect.Method isVirtual = Thread.class.getMethod("isVirtual");
        try (DurableEngine engine = engine().virtualThreads(true).build()) {
            engine.register("f", String.class, String.class, (in, ctx) -> {
                virtual.add(isVirtual(isVirtual));
                ContextFunction<String> branch = c -> {
                    virtual.add(isVirtual(isVirtual));
                    return "b";
                };
                ctx.parallel("p", String.class, List.of(branch, branch), ParallelConfig.defaults());
                return in;
            });
            assertThat(engine.<String>start("f", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("in");
        }
        assertThat(virtual).containsExactly(true);
    }

    private static boolean isVirtual(java.lang.reflect.Method isVirtual) {
        try {
            return (Boolean) isVirtual.invoke(Thread.currentThread());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void onVirtualThreadsAMapWithoutALimitRunsMoreThanTheDefaultCapOfBranchesAtOnce() {
        int items = ParallelConfig.DEFAULT_MAX_CONCURRENCY * 2;
        // every item waits until all have started: only possible if none waits for a free slot
        CountDownLatch allStarted = new CountDownLatch(items);
        try (DurableEngine engine = engine().virtualThreads(true).build()) {
            engine.register("f", Integer.class, Boolean.class, (n, ctx) -> {
                List<Integer> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(i);
                }
                BatchResult<Boolean> r = ctx.map(
                        "all",
                        list,
                        Boolean.class,
                        (item, i, c) -> {
                            allStarted.countDown();
                            try {
                                return allStarted.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        ParallelConfig.defaults());
                return r.results().stream().allMatch(Boolean::booleanValue);
            });
            assertThat(engine.<Boolean>start("f", "x", items).result(Duration.ofSeconds(20)))
                    .isTrue();
        }
    }
}
