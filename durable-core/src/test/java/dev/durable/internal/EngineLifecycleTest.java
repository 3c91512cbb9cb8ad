package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.DurableCallback;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionInfo;
import dev.durable.JournalException;
import dev.durable.ManualClock;
import dev.durable.PayloadTooLargeException;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.MemoryJournal;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting, registering, sizing, idling, forgetting and closing, as a user of the runtime sees them. */
class EngineLifecycleTest {
    private static EngineFixture echo(long limit) {
        return new EngineFixture(
                e -> {
                    e.register("echo", String.class, String.class, (in, ctx) -> in);
                    e.register("child", String.class, String.class, (in, ctx) -> {
                        String r = ctx.runInChildContext("sub", String.class, c -> in);
                        ctx.wait("w", Duration.ofSeconds(1));
                        return r.length() + "";
                    });
                },
                limit);
    }

    @Test
    void aPayloadOfExactlyTheLimitInBytesIsAcceptedAndOneByteMoreIsNot() {
        try (EngineFixture f = echo(1024)) {
            String fits = "x".repeat(1022); // 1024 bytes with its quotes
            assertThat(f.engine.<String>start("echo", "a", fits).result(Duration.ofSeconds(5)))
                    .isEqualTo(fits);
            assertThatThrownBy(() -> f.engine.start("echo", "b", fits + "x"))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("1025 bytes");
            String accented = "\u00e9".repeat(400); // 402 characters, 802 bytes: counted in bytes, not characters
            assertThat(f.engine.<String>start("echo", "c", accented).result(Duration.ofSeconds(5)))
                    .isEqualTo(accented);
        }
    }

    @Test
    void aChildResultOfExactlyTheLimitIsJournaledAndOneByteMoreIsRebuiltOnReplay() {
        try (EngineFixture f = echo(1024)) {
            f.engine.start("child", "fits", "y".repeat(1022));
            f.engine.start("child", "accented", "\u00e9".repeat(400));
            f.idle();
            assertThat(f.engine.describe("fits").operations().get(0).result())
                    .isEqualTo("\"" + "y".repeat(1022) + "\"");
            assertThat(f.engine.describe("accented").operations().get(0).result())
                    .isNotNull();
            f.advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("fits").result(Duration.ofSeconds(5)))
                    .isEqualTo("1022");
        }
        try (EngineFixture f = new EngineFixture(
                e -> e.register("child", String.class, String.class, (in, ctx) -> {
                    String r = ctx.runInChildContext("sub", String.class, c -> in + in.substring(0, 1));
                    ctx.wait("w", Duration.ofSeconds(1));
                    return r.length() + "";
                }),
                1024)) {
            f.engine.start("child", "over", "z".repeat(1022));
            f.idle();
            assertThat(f.engine.describe("over").operations().get(0).result()).isNull();
            f.restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("over").result(Duration.ofSeconds(5)))
                    .isEqualTo("1023");
        }
    }

    @Test
    void startingAgainWithTheSameInputWrittenDifferentlyReturnsTheExistingExecution() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "m", new TypeToken<Map<String, Integer>>() {}, new TypeToken<Integer>() {}, (in, ctx) -> in.size()))) {
            Map<String, Integer> ab = new LinkedHashMap<>();
            ab.put("a", 1);
            ab.put("b", 2);
            Map<String, Integer> ba = new LinkedHashMap<>();
            ba.put("b", 2);
            ba.put("a", 1);
            f.engine.start("m", "x", ab);
            assertThat(f.engine.<Integer>start("m", "x", ba).result(Duration.ofSeconds(5)))
                    .isEqualTo(2);
            assertThat(f.engine.list()).hasSize(1);
        }
    }

    /** Writes values as non-JSON text. */
    static final class PlainText implements SerDes {
        @Override
        public String serialize(Object value, Type type) {
            return "text:" + value;
        }

        @Override
        public Object deserialize(String data, Type type) {
            return data.substring(5);
        }
    }

    @Test
    void aDifferentInputIsAConflictEvenWhenItIsNotJson() {
        MemoryJournal journal = new MemoryJournal();
        try (DurableEngine engine = DurableEngine.builder()
                .journal(journal)
                .clock(new ManualClock())
                .serdes(new PlainText())
                .build()) {
            engine.register("t", String.class, String.class, (in, ctx) -> in);
            engine.start("t", "x", "one");
            assertThat(engine.<String>start("t", "x", "one").result(Duration.ofSeconds(5)))
                    .isEqualTo("one");
            assertThatThrownBy(() -> engine.start("t", "x", "two"))
                    .isInstanceOf(ExecutionConflictException.class)
                    .hasMessage(
                            "execution 'x' already exists with a different input (journaled: text:one, now: text:two);"
                                    + " start it with the same input to get the existing execution, or choose another name");
        }
    }

    @Test
    void aConflictingInputIsShownCutToAHundredAndTwentyCharacters() {
        try (EngineFixture f = echo(DurableRuntime.DEFAULT_PAYLOAD_LIMIT)) {
            String long1 = "a".repeat(118); // 120 characters as JSON
            f.engine.start("echo", "x", long1);
            assertThatThrownBy(() -> f.engine.start("echo", "x", "b".repeat(200)))
                    .hasMessageContaining("(journaled: \"" + long1 + "\", now: \"" + "b".repeat(116) + "...)");
            assertThatThrownBy(() -> f.engine.start("child", "x", long1))
                    .isInstanceOf(ExecutionConflictException.class)
                    .hasMessage(
                            "execution 'x' already exists for function 'echo', not 'child'; choose another execution name");
        }
    }

    @Test
    void aFunctionNameCanBeRegisteredOnlyOnce() {
        try (EngineFixture f = echo(1024)) {
            assertThatThrownBy(() -> f.engine.register("echo", String.class, String.class, (in, ctx) -> in))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "a function named 'echo' is already registered with this runtime; give each durable function a"
                                    + " unique name, or each version of it a new version number");
            assertThatThrownBy(() -> f.engine.start("nope", "x", "in"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessage("no durable function named 'nope' is registered; registered: [child, echo]");
        }
    }

    @DurableFunction("greeter")
    static class Greeter {
        @Handler
        private String greet(String name) {
            return "hello " + name;
        }
    }

    static class PoliteGreeter extends Greeter {}

    @DurableFunction
    static class Ticker {
        final List<String> ticks = new CopyOnWriteArrayList<>();

        @Handler
        void tick() {
            ticks.add("tick");
        }
    }

    @DurableFunction
    static class TwoHandlers {
        @Handler
        void a() {}

        @Handler
        void b() {}
    }

    @DurableFunction
    static class NoHandler {
        void a() {}
    }

    @DurableFunction
    static class TwoParameters {
        @Handler
        String h(String a, String b) {
            return a + b;
        }
    }

    @Test
    void anAnnotatedFunctionRunsItsHandlerEvenAPrivateOneAndIsFoundBySubclass() {
        try (EngineFixture f =
                new EngineFixture(e -> assertThat(e.register(new Greeter())).isEqualTo("greeter"))) {
            Execution<String> ex = f.engine.start(PoliteGreeter.class, "g", "ann");
            assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("hello ann");
            assertThatThrownBy(() -> f.engine.start(String.class, "s", "x"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessage(
                            "no durable function is registered for class java.lang.String; call runtime.register(instance) first");
        }
    }

    @Test
    void aHandlerWithoutParametersOrResultTakesAndGivesNothing() {
        Ticker ticker = new Ticker();
        try (EngineFixture f =
                new EngineFixture(e -> assertThat(e.register(ticker)).isEqualTo("Ticker"))) {
            assertThat(f.engine.start("Ticker", "t", null).result(Duration.ofSeconds(5)))
                    .isNull();
            assertThat(ticker.ticks).containsExactly("tick");
        }
    }

    @Test
    void malformedAnnotatedFunctionsAreRefusedSayingWhatToFix() {
        try (EngineFixture f = new EngineFixture(e -> {})) {
            assertThatThrownBy(() -> f.engine.register(new TwoHandlers()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TwoHandlers.class.getName() + " has more than one @Handler method (")
                    .hasMessageEndingWith("); keep exactly one entry point");
            assertThatThrownBy(() -> f.engine.register(new NoHandler()))
                    .hasMessage(NoHandler.class.getName() + " has no @Handler method; annotate the entry point");
            assertThatThrownBy(() -> f.engine.register(new TwoParameters()))
                    .hasMessage(TwoParameters.class.getName()
                            + ".h takes 2 parameters; a @Handler takes the input (one) or none");
        }
    }

    @Test
    void aClosedRuntimeRefusesEveryChangeAndClosingAgainDoesNothing() {
        List<String> ids = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "cb",
                String.class,
                String.class,
                (in, ctx) ->
                        ctx.waitForCallback("c", String.class, (id, s) -> ids.add(id), CallbackConfig.defaults())))) {
            f.engine.start("cb", "x", "in");
            f.idle();
            f.engine.close();
            f.engine.close();
            String closed = "the runtime is closed; open it again to continue";
            assertThatThrownBy(() -> f.engine.start("cb", "y", "in"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(closed);
            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "v")).hasMessage(closed);
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "\"v\""))
                    .hasMessage(closed);
            assertThatThrownBy(() -> f.engine.failCallback(ids.get(0), "E", "m"))
                    .hasMessage(closed);
            assertThatThrownBy(() -> f.engine.heartbeatCallback(ids.get(0))).hasMessage(closed);
            f.restart();
            f.engine.completeCallback(ids.get(0), "after restart");
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("after restart");
        }
    }

    @Test
    void closingTheRuntimeClosesItsJournalUnlessToldNotTo() {
        MemoryJournal journal = new MemoryJournal();
        DurableEngine keeps = DurableEngine.builder()
                .journal(journal)
                .clock(new ManualClock())
                .closeJournal(false)
                .build();
        keeps.close();
        journal.append(EventCodec.execution(
                dev.durable.spi.journal.RecordType.EXECUTION_STARTED,
                "kept",
                ExecutionEvent.started("echo", "\"in\"", Instant.EPOCH, null, null))); // still writable
        assertThat(journal.executionIds()).containsExactly("kept");
        DurableEngine owns = DurableEngine.builder()
                .journal(journal)
                .clock(new ManualClock())
                .build();
        owns.register("echo", String.class, String.class, (in, ctx) -> in);
        owns.close();
        assertThatThrownBy(() -> journal.append(EventCodec.execution(
                        dev.durable.spi.journal.RecordType.EXECUTION_STARTED,
                        "x",
                        ExecutionEvent.started("echo", "\"in\"", Instant.EPOCH, null, null))))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal is closed");
    }

    @Test
    void theBuilderRefusesAnEmptyPayloadLimitAndNoThreads() {
        assertThatThrownBy(() -> DurableEngine.builder().payloadLimit(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payloadLimit must be positive, was 0");
        assertThatThrownBy(() -> DurableEngine.builder().threads(0)).hasMessage("threads must be at least 1, was 0");
        assertThatThrownBy(() -> DurableEngine.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("journal must not be null");
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        try (DurableEngine one = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .payloadLimit(1)
                .threads(1)
                .build()) {
            assertThat(one.clock()).isSameAs(clock);
            assertThat(one.journal()).isSameAs(journal);
        }
    }

    @Test
    void awaitIdleReportsAHandlerStillRunningAndAnInterruptedWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "slow",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "block", String.class, s -> release.await(10, TimeUnit.SECONDS) ? "released" : "timed out")))) {
            f.engine.start("slow", "x", "in");
            assertThat(f.engine.awaitIdle(Duration.ofMillis(50))).isFalse();
            Thread.currentThread().interrupt();
            assertThat(f.engine.awaitIdle(Duration.ofSeconds(5))).isFalse();
            assertThat(Thread.interrupted()).isTrue();
            release.countDown();
            assertThat(f.engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(1)))
                    .isEqualTo("released");
        }
    }

    @Test
    void forgottenExecutionsAndTheirCallbacksAreGoneOthersStay() {
        List<String> ids = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("echo", String.class, String.class, (in, ctx) -> in);
            e.register("sleep", String.class, String.class, (in, ctx) -> {
                ctx.wait("long", Duration.ofDays(30));
                return in;
            });
            e.register("cb", String.class, String.class, (in, ctx) -> {
                DurableCallback<String> cb = ctx.createCallback("c", String.class, CallbackConfig.defaults());
                ctx.step("send", String.class, s -> {
                    ids.add(cb.id());
                    return "sent";
                });
                return "late";
            });
        })) {
            f.engine.start("echo", "old", "a").result(Duration.ofSeconds(5));
            f.engine.start("cb", "withCallback", "b").result(Duration.ofSeconds(5));
            f.advance(Duration.ofHours(1));
            f.engine.start("echo", "new", "c").result(Duration.ofSeconds(5));
            f.engine.start("sleep", "running", "d");
            f.idle();
            assertThat(f.engine.forgetFinished(f.clock.now().minusSeconds(1))).isEqualTo(2);
            assertThat(f.engine.forgetFinished(f.clock.now().minusSeconds(1))).isZero();
            assertThat(f.engine.list()).extracting(ExecutionInfo::name).containsExactly("new", "running");
            assertThatThrownBy(() -> f.engine.execution("old"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessage("no execution named 'old' exists in this runtime's journal; list executions to see the"
                            + " names (names are case-sensitive)");
            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "x"))
                    .isInstanceOf(UnknownCallbackException.class);
            assertThat(f.engine.forgetFinished(f.clock.now().plusSeconds(1))).isEqualTo(1);
            assertThat(f.engine.list()).extracting(ExecutionInfo::name).containsExactly("running");
        }
    }

    /** Starts an execution that waits an hour, closes its engine, and returns a weak reference to its future. */
    private static java.lang.ref.WeakReference<?> waitingThenClosed() {
        DurableEngine engine = DurableEngine.builder()
                .journal(new MemoryJournal())
                .clock(new ManualClock())
                .build();
        engine.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.wait("hour", Duration.ofHours(1));
            return in;
        });
        Execution<String> e = engine.start("nap", "n-1", "x");
        assertThat(engine.awaitIdle(Duration.ofSeconds(5))).isTrue();
        java.lang.ref.WeakReference<?> future = new java.lang.ref.WeakReference<>(e.future());
        engine.close();
        return future;
    }

    @Test
    void aClosedEngineKeepsNothingOfItsExecutionsReachable() {
        java.lang.ref.WeakReference<?> future = waitingThenClosed();
        for (int i = 0; i < 50 && future.get() != null; i++) {
            System.gc();
        }
        assertThat(future.get())
                .as("the future of an execution of a closed engine")
                .isNull();
    }
}
