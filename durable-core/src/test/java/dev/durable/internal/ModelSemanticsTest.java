package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.AttemptInfo;
import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.ChildContextConfig;
import dev.durable.CompletionConfig;
import dev.durable.ContextFunction;
import dev.durable.DurableCallback;
import dev.durable.DurableContext;
import dev.durable.DurableHandler;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.InvokeConfig;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.Names;
import dev.durable.OperationInfo;
import dev.durable.ParallelConfig;
import dev.durable.RetryPolicy;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.UnknownExecutionException;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The durable-functions model's semantics: callbacks, serialization, configuration and history. */
class ModelSemanticsTest {
    record Decision(boolean keep) {}

    private final List<String> ids = new CopyOnWriteArrayList<>();

    private static String json(JournalRecord r) {
        return r.payloadText();
    }

    // ---- 1. callback timeouts are timers of their own -------------------------------------------------------

    private void registerTimeoutWhileWaitingElsewhere(DurableEngine e) {
        e.register("cb", String.class, String.class, (in, ctx) -> {
            DurableCallback<String> cb =
                    ctx.createCallback("approval", String.class, CallbackConfig.timeout(Duration.ofSeconds(3)));
            ctx.step("send", Void.class, s -> {
                ids.add(cb.id());
                return null;
            });
            ctx.wait("elsewhere", Duration.ofSeconds(6));
            try {
                return "got " + cb.get();
            } catch (CallbackTimeoutException t) {
                return "timed out";
            }
        });
    }

    @Test
    void aCallbackTimesOutAtItsDueTimeWhileTheHandlerWaitsOnSomethingElse() {
        try (EngineFixture f = new EngineFixture(this::registerTimeoutWhileWaitingElsewhere)) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.idle().advance(Duration.ofSeconds(3));
            OperationInfo callback = f.engine.describe("x").operations().get(0);
            assertThat(callback.status()).isEqualTo("FAILED");
            assertThat(callback.updatedAt()).isEqualTo(start.plusSeconds(3));
            assertThat(f.engine.history("x"))
                    .anyMatch(h ->
                            h.kind() == HistoryEvent.Kind.OPERATION_TIMED_OUT && h.at().equals(start.plusSeconds(3)));

            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "yes"))
                    .isInstanceOf(CallbackTimeoutException.class)
                    .hasMessageContaining("changed nothing");
            f.restart();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "\"yes\""))
                    .isInstanceOf(CallbackTimeoutException.class);
            assertThatThrownBy(() -> f.engine.heartbeatCallback(ids.get(0)))
                    .isInstanceOf(CallbackTimeoutException.class);
            f.advance(Duration.ofSeconds(3));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("timed out");
        }
    }

    @Test
    void aCallbackWhoseDeadlinePassedWhileTheProcessWasDownIsRefusedAfterRestart() {
        try (EngineFixture f = new EngineFixture(this::registerTimeoutWhileWaitingElsewhere)) {
            f.engine.start("cb", "x", "in");
            f.idle();
            f.engine.close();
            f.clock.advance(Duration.ofSeconds(4)); // the process is down when the deadline passes
            f.restart();
            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "late"))
                    .isInstanceOf(CallbackTimeoutException.class);
        }
    }

    @Test
    void aHeartbeatAfterTheHeartbeatDeadlineDoesNotReviveTheCallback() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "hb",
                String.class,
                String.class,
                (in, ctx) -> ctx.waitForCallback(
                        "job",
                        String.class,
                        (id, s) -> ids.add(id),
                        CallbackConfig.builder()
                                .heartbeatTimeout(Duration.ofSeconds(2))
                                .build())))) {
            f.engine.start("hb", "x", "in");
            f.advance(Duration.ofSeconds(1));
            f.engine.heartbeatCallback(ids.get(0)); // deadline moves to 3 s
            f.advance(Duration.ofMillis(1500));
            assertThat(f.engine.describe("x").info().status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofSeconds(1)); // 3.5 s: no heartbeat since 1 s
            assertThatThrownBy(() -> f.engine.heartbeatCallback(ids.get(0)))
                    .isInstanceOf(CallbackTimeoutException.class);
            assertThatThrownBy(() -> f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .hasRootCauseInstanceOf(CallbackTimeoutException.class);
        }
    }

    // ---- 2. the first run sees the checkpointed value -------------------------------------------------------

    @Test
    void everyOperationWithASerDesReturnsTheCheckpointedValueOnTheFirstRunAsOnReplay() {
        SerDes upper = new DurableMethodTest.Shouting();
        AtomicInteger runs = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register("s", String.class, String.class, (in, ctx) -> {
            String step = ctx.step(
                    "a",
                    String.class,
                    s -> "step",
                    StepConfig.builder().serdes(upper).build());
            String child = ctx.runInChildContext("c", String.class, c -> "child", ChildContextConfig.serdes(upper));
            String polled = ctx.waitForCondition(
                    "p",
                    String.class,
                    (state, s) -> "poll",
                    WaitForConditionConfig.of("", WaitStrategy.<String>until(v -> true))
                            .withSerDes(upper));
            String mapped = ctx.map(
                            "m",
                            List.of(1),
                            String.class,
                            (item, i, c) -> "item",
                            ParallelConfig.builder().itemSerDes(upper).build())
                    .results()
                    .get(0);
            runs.incrementAndGet();
            ctx.wait("pause", Duration.ofSeconds(1));
            return step + " " + child + " " + polled + " " + mapped;
        }))) {
            f.engine.start("s", "x", "in");
            f.advance(Duration.ofSeconds(1));
            assertThat(runs).hasValue(2); // the first run and the replay both saw the values
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("STEP CHILD POLL ITEM");
        }
    }

    @Test
    void aStepResultThatDoesNotRoundTripFailsTheStepNamingItsType() {
        try (EngineFixture f = new EngineFixture(e -> e.register("s", String.class, String.class, (in, ctx) -> {
            Runnable r = ctx.step(
                    "lambda",
                    Runnable.class,
                    s -> () -> {},
                    StepConfig.builder().retry(RetryPolicy.noRetry()).build());
            return "ran " + r;
        }))) {
            f.engine.start("s", "x", "in");
            assertThatThrownBy(() -> f.engine.execution("x").result(Duration.ofSeconds(5)))
                    .hasMessageContaining("does not round-trip")
                    .hasMessageContaining("java.lang.Runnable");
        }
    }

    // ---- 3. callback failures keep their structure ----------------------------------------------------------

    @Test
    void aFailedCallbackReachesTheHandlerWithTypeMessageAndDataAndAnUncaughtOneKeepsThemInTheRecordedError() {
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("caught", String.class, String.class, (in, ctx) -> {
                try {
                    return ctx.waitForCallback("c", String.class, (id, s) -> ids.add(id), CallbackConfig.defaults());
                } catch (CallbackFailedException x) {
                    return x.errorType() + "|" + x.errorMessage() + "|" + x.errorData();
                }
            });
            e.register(
                    "uncaught",
                    String.class,
                    String.class,
                    (in, ctx) ->
                            ctx.waitForCallback("c", String.class, (id, s) -> ids.add(id), CallbackConfig.defaults()));
        })) {
            f.engine.start("caught", "a", "in");
            f.idle();
            f.engine.failCallback(ids.get(0), "Rejected", "no budget", "{\"limit\":10}");
            assertThat(f.engine.<String>execution("a").result(Duration.ofSeconds(5)))
                    .isEqualTo("Rejected|no budget|{\"limit\":10}");
            f.engine.start("uncaught", "b", "in");
            f.idle();
            f.engine.failCallback(ids.get(1), "Rejected", "no budget");
            f.idle();
            ErrorInfo error = f.engine.describe("b").error();
            assertThat(error.type()).isEqualTo("Rejected");
            assertThat(error.message()).isEqualTo("no budget");
        }
    }

    // ---- 4. a payload that does not fit is refused, never fatal ---------------------------------------------

    @Test
    void callbackPayloadsAreReadStrictly() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "d",
                String.class,
                Boolean.class,
                (in, ctx) -> ctx.waitForCallback("c", Decision.class, (id, s) -> ids.add(id), CallbackConfig.defaults())
                        .keep()))) {
            f.engine.start("d", "x", "in");
            f.idle();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "{\"kep\": true}"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Nothing was changed");
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "{\"keep\": true, \"kep\": true}"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("kep");
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "{\"keep\": null}"))
                    .isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "{}"))
                    .isInstanceOf(SerializationException.class);
            f.engine.completeCallbackJson(ids.get(0), "{\"keep\": true}");
            assertThat(f.engine.<Boolean>execution("x").result(Duration.ofSeconds(5)))
                    .isTrue();
        }
    }

    /** Accepts only strings that start with "ok:": a rule the runtime cannot know before the handler reads. */
    static final class PickySerDes implements SerDes {
        @Override
        public String serialize(Object value, Type type) {
            return JsonSerDes.defaults().serialize(value, type);
        }

        @Override
        public Object deserialize(String data, Type type) {
            String s = (String) JsonSerDes.defaults().deserialize(data, type);
            if (s != null && !s.startsWith("ok:")) {
                throw new IllegalArgumentException("not an ok: string: " + s);
            }
            return s;
        }
    }

    @Test
    void aPayloadThatCouldNotBeCheckedAndDoesNotConvertFailsCatchablyAndCanBeCompletedAgainAfterRetry() {
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        CallbackConfig picky =
                CallbackConfig.builder().serdes(new PickySerDes()).build();
        DurableHandler<String, String> handler =
                (in, ctx) -> ctx.waitForCallback("c", String.class, (id, s) -> ids.add(id), picky);
        DurableEngine first =
                DurableEngine.builder().journal(journal).clock(clock).build();
        first.register("p", String.class, String.class, handler);
        first.start("p", "x", "in");
        first.awaitIdle(Duration.ofSeconds(5));
        first.close();
        journal.reopen();
        // a runtime that does not run the function (a CLI, say) cannot apply the handler's serializer: it accepts
        DurableEngine cli =
                DurableEngine.builder().journal(journal).clock(clock).build();
        cli.completeCallbackJson(ids.get(0), "\"bad\"");
        cli.close();
        journal.reopen();
        try (DurableEngine engine =
                DurableEngine.builder().journal(journal).clock(clock).build()) {
            engine.register("p", String.class, String.class, handler);
            assertThatThrownBy(() -> engine.execution("x").result(Duration.ofSeconds(5)))
                    .hasRootCauseInstanceOf(CallbackFailedException.class)
                    .hasMessageContaining(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE);
            assertThat(engine.describe("x").error().type()).isEqualTo(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE);
            engine.retry("x");
            engine.awaitIdle(Duration.ofSeconds(5));
            engine.completeCallbackJson(ids.get(0), "\"ok:fixed\"");
            assertThat(engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("ok:fixed");
            assertThat(ids).hasSize(1); // the same callback, not a new one
        }
    }

    // ---- 5. invalid configuration fails at the call ---------------------------------------------------------

    @Test
    void invalidConfigurationFailsAtTheCallWithAClearMessage() {
        assertThatThrownBy(() -> ParallelConfig.builder().maxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConcurrency must be at least 1");
        assertThatThrownBy(() -> CompletionConfig.toleratedFailures(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(100.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompletionConfig.toleratedFailurePercentage(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallbackConfig.builder().timeout(Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most one year");
        assertThatThrownBy(() -> CallbackConfig.builder().heartbeatTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WaitStrategy.<String>until(s -> true).initialDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDelay must not be negative");
        assertThatThrownBy(() -> WaitStrategy.<String>until(s -> true).maxDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String failureOf(DurableHandler<String, String> handler) {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, handler))) {
            f.engine.start("h", "x", "in");
            f.idle();
            return f.engine.describe("x").error().summary();
        }
    }

    @Test
    void zeroNegativeAndOverlongWaitsAndAnUnreachableMinSuccessfulFailTheCall() {
        assertThat(failureOf((in, ctx) -> {
                    ctx.wait("zero", Duration.ZERO);
                    return "waited";
                }))
                .contains("IllegalArgumentException")
                .contains("must be positive");
        assertThat(failureOf((in, ctx) -> {
                    ctx.wait("negative", Duration.ofSeconds(-1));
                    return "waited";
                }))
                .contains("must be positive");
        assertThat(failureOf((in, ctx) -> {
                    ctx.wait("long", Duration.ofDays(400));
                    return "waited";
                }))
                .contains("more than a year ahead");
        assertThat(failureOf((in, ctx) -> ctx.map(
                                "m",
                                List.of(1, 2),
                                String.class,
                                (item, i, c) -> "x",
                                ParallelConfig.builder()
                                        .completion(CompletionConfig.minSuccessful(3))
                                        .build())
                        .toString()))
                .contains("minSuccessful is 3 but there are only 2 items");
    }

    // ---- 6. OperationInfo tells the truth about attempts ----------------------------------------------------

    @Test
    void aStepThatSucceededOnItsSecondAttemptHasNoCurrentErrorAndListsEachAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "r",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "flaky",
                        String.class,
                        s -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("first attempt fails");
                            }
                            return "ok";
                        },
                        StepConfig.builder()
                                .retry(RetryPolicy.builder()
                                        .initialDelay(Duration.ofSeconds(1))
                                        .build())
                                .build())))) {
            f.engine.start("r", "x", "in");
            f.advance(Duration.ofSeconds(2));
            OperationInfo op = f.engine.describe("x").operations().get(0);
            assertThat(op.status()).isEqualTo("SUCCEEDED");
            assertThat(op.error()).isNull();
            assertThat(op.attempts())
                    .extracting(AttemptInfo::attempt, AttemptInfo::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, "RETRY"),
                            org.assertj.core.groups.Tuple.tuple(2, "SUCCEEDED"));
            assertThat(op.attempts().get(0).error().message()).isEqualTo("first attempt fails");
        }
    }

    @Test
    void anIllegalTransitionInTheJournalIsReportedAsDamageNamingTheRecord() {
        MemoryJournal journal = new MemoryJournal();
        journal.append(EventCodec.execution(
                dev.durable.spi.journal.RecordType.EXECUTION_STARTED,
                "x",
                ExecutionEvent.started("f", "\"in\"", Instant.EPOCH, null, null)));
        journal.append(EventCodec.operation(
                "x",
                "1",
                OpEvent.of(OpType.STEP, "a", OpStatus.SUCCEEDED, Instant.EPOCH)
                        .attempt(1)
                        .result("1")));
        journal.append(EventCodec.operation(
                "x",
                "1",
                OpEvent.of(OpType.STEP, "a", OpStatus.RETRY, Instant.EPOCH).attempt(2)));
        assertThatThrownBy(() -> JournalHistory.details("x", journal.read("x")))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("RETRY of operation 1 of execution 'x'")
                .hasMessageContaining("after it had ended as SUCCEEDED");
    }

    // ---- 7. java.time values are journaled as ISO-8601 ------------------------------------------------------

    @Test
    void durationsAreJournaledAsIso8601() {
        try (EngineFixture f = new EngineFixture(e -> e.register("d", String.class, Duration.class, (in, ctx) -> {
            ctx.createCallback(
                    "c",
                    String.class,
                    CallbackConfig.builder()
                            .heartbeatTimeout(Duration.ofSeconds(90))
                            .build());
            return ctx.step("d", Duration.class, s -> Duration.ofMinutes(2));
        }))) {
            f.engine.start("d", "x", "in");
            f.idle();
            List<String> records =
                    f.journal.read("x").stream().map(ModelSemanticsTest::json).toList();
            assertThat(records).anyMatch(r -> r.contains("\"heartbeatTimeout\":\"PT1M30S\""));
            assertThat(records).anyMatch(r -> r.contains("\"result\":\"\\\"PT2M\\\"\""));
        }
    }

    // ---- 9. names ---------------------------------------------------------------------------------------------

    @Test
    void parallelBranchesAndMapItemsCarryTheirNamesAndOperationsMayBeUnnamed() {
        try (EngineFixture f = new EngineFixture(e -> e.register("n", String.class, String.class, (in, ctx) -> {
            ctx.parallel(
                    "quotes",
                    String.class,
                    List.of(ContextFunction.named("hotel", c -> "h"), ContextFunction.named("flight", c -> "f")),
                    ParallelConfig.defaults());
            ctx.map(
                    "charge",
                    List.of("a", "b"),
                    String.class,
                    (item, i, c) -> item,
                    ParallelConfig.builder()
                            .<String>itemNamer((item, i) -> "charge-" + item)
                            .build());
            String unnamed = ctx.step(null, String.class, s -> "u");
            ctx.wait("w", Duration.ofSeconds(1));
            return unnamed;
        }))) {
            f.engine.start("n", "x", "in");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("u");
            assertThat(f.engine.describe("x").operations())
                    .filteredOn(op -> op.type().equals("BRANCH"))
                    .extracting(OperationInfo::name)
                    .containsExactlyInAnyOrder("hotel", "flight", "charge-a", "charge-b");
            assertThat(f.engine.history("x"))
                    .filteredOn(h -> "map item".equals(h.subType()))
                    .hasSize(2);
        }
    }

    // ---- 10. nesting modes ------------------------------------------------------------------------------------

    @Test
    void aFlatMapJournalsNoRecordPerItemAndRebuildsItsItemsFromTheirOperationsOnReplay() {
        AtomicInteger bodies = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "flat",
                String.class,
                String.class,
                (in, ctx) -> String.join(
                        ",",
                        ctx.map(
                                        "m",
                                        List.of(1, 2, 3),
                                        String.class,
                                        (item, i, c) -> {
                                            String v = c.step("work", String.class, s -> {
                                                bodies.incrementAndGet();
                                                return "v" + item;
                                            });
                                            if (item == 3) {
                                                c.wait("slow", Duration.ofSeconds(5));
                                            }
                                            return v;
                                        },
                                        ParallelConfig.builder()
                                                .nesting(ParallelConfig.Nesting.FLAT)
                                                .build())
                                .results())))) {
            f.engine.start("flat", "x", "in");
            f.idle().restart().advance(Duration.ofSeconds(5));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("v1,v2,v3");
            assertThat(bodies).hasValue(3);
            assertThat(f.engine.describe("x").operations())
                    .noneMatch(op -> op.type().equals("BRANCH"));
        }
    }

    // ---- 11. composite results over the payload limit ---------------------------------------------------------

    @Test
    void aChildContextOrBatchResultOverThePayloadLimitIsRebuiltOnReplayFromItsChildren() {
        AtomicInteger bodies = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(
                e -> e.register("big", String.class, Integer.class, (in, ctx) -> {
                    List<String> parts = ctx.runInChildContext("collect", new TypeToken<List<String>>() {}, c -> {
                        List<String> out = new ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            out.add(c.step("part-" + i, String.class, s -> {
                                bodies.incrementAndGet();
                                return "x".repeat(400);
                            }));
                        }
                        return out;
                    });
                    BatchResult<String> batch =
                            ctx.map("all", parts, String.class, (p, i, c) -> p, ParallelConfig.defaults());
                    ctx.wait("pause", Duration.ofSeconds(1));
                    return parts.size() + batch.successCount();
                }),
                1_000)) {
            f.engine.start("big", "x", "in");
            f.idle().restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<Integer>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo(8);
            assertThat(bodies).hasValue(4);
        }
    }

    // ---- 12. a typed history -----------------------------------------------------------------------------------

    @Test
    void historyListsTypedEventsFromStartToEnd() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            String a = ctx.runInChildContext("child", String.class, c -> c.step("inner", String.class, s -> "i"));
            ctx.wait("w", Duration.ofSeconds(1));
            return a;
        }))) {
            f.engine.start("h", "x", "in");
            f.advance(Duration.ofSeconds(1));
            List<HistoryEvent> h = f.engine.history("x");
            assertThat(h)
                    .extracting(HistoryEvent::kind)
                    .containsExactly(
                            HistoryEvent.Kind.EXECUTION_STARTED, HistoryEvent.Kind.OPERATION_SUCCEEDED,
                            HistoryEvent.Kind.OPERATION_SUCCEEDED, HistoryEvent.Kind.OPERATION_STARTED,
                            HistoryEvent.Kind.OPERATION_SUCCEEDED, HistoryEvent.Kind.EXECUTION_SUCCEEDED);
            HistoryEvent inner = h.get(1);
            assertThat(inner.operationId()).isEqualTo("1/1");
            assertThat(inner.parentId()).isEqualTo("1");
            assertThat(inner.subType()).isEqualTo("step");
            assertThat(inner.result()).isEqualTo("\"i\"");
            assertThat(h.get(2).subType()).isEqualTo("child context");
            assertThat(h.get(3).until()).isNotNull();
            assertThatThrownBy(() -> f.engine.history("nope")).isInstanceOf(UnknownExecutionException.class);
        }
    }

    // ---- names are validated ------------------------------------------------------------------------------------

    @Test
    void badNamesAreRefusedAtEveryEntryPointWithAMessageSayingWhy() {
        try (EngineFixture f = new EngineFixture(
                e -> e.register("ok", String.class, String.class, (in, ctx) -> ctx.step(in, String.class, s -> "x")))) {
            for (String bad :
                    List.of("bad\uD800", "bad\uDC00x", "tab\there", "", " ", "x".repeat(257), "zero\u200Bwidth")) {
                assertThatThrownBy(() -> f.engine.start("ok", bad, "in"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("execution name");
                assertThatThrownBy(() -> f.engine.register(bad, String.class, String.class, (in, ctx) -> in))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("function name");
                f.engine.start("ok", "op-" + Integer.toHexString(bad.hashCode()), bad);
            }
            f.idle();
            assertThat(f.engine.list(ExecutionStatus.FAILED)).hasSize(7);
            assertThat(f.engine
                            .describe("op-" + Integer.toHexString("bad\uD800".hashCode()))
                            .error()
                            .message())
                    .contains("operation name 'bad\\uD800'")
                    .contains("unpaired UTF-16 surrogate");
            assertThat(Names.checkOperation("emoji \uD83D\uDE00 ok")).isEqualTo("emoji \uD83D\uDE00 ok");
        }
    }

    @Test
    void nestingDeeperThanTheLimitFailsWithAClearMessageInsteadOfAStackOverflow() {
        assertThat(failureOf((in, ctx) -> nest(ctx, 5_000)))
                .contains("nests child contexts and branches")
                .contains("at most " + ContextImpl.MAX_DEPTH);
    }

    private static String nest(DurableContext ctx, int levels) {
        return levels == 0 ? "bottom" : ctx.runInChildContext("level", String.class, c -> nest(c, levels - 1));
    }

    @Test
    @SuppressWarnings("PMD.AvoidCatchingThrowable")
    void aSuspensionCaughtByUserCodeFailsTheRunNamingTheOperationInsteadOfSkippingTheWait() {
        AtomicInteger after = new AtomicInteger();
        String failure = failureOf((in, ctx) -> {
            try {
                ctx.wait("cooling-off", Duration.ofHours(1));
            } catch (Throwable swallowed) {
                // the wrong thing to do: this also catches the suspension
            }
            after.incrementAndGet();
            return "went on";
        });
        assertThat(failure).contains("a suspension was caught by user code").contains("operation 1");
        String inBranch = failureOf((in, ctx) -> ctx.parallel(
                        "p",
                        String.class,
                        List.of(c -> {
                            try {
                                c.wait("w", Duration.ofHours(1));
                            } catch (Throwable swallowed) {
                                // swallowed in a branch
                            }
                            return "went on";
                        }),
                        ParallelConfig.defaults())
                .results()
                .toString());
        assertThat(inBranch).contains("a suspension was caught by user code");
    }

    // ---- 8. per-operation configuration: invoke serializers and the submitter's retries ----------------------------

    @Test
    void invokeUsesItsOwnSerializersForThePayloadAndTheResult() {
        SerDes upper = new DurableMethodTest.Shouting();
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("child", String.class, String.class, (in, ctx) -> "child got " + in);
            e.register("parent", String.class, String.class, (in, ctx) -> {
                String r = ctx.invoke("call", "child", "hello", String.class, new InvokeConfig(null, upper));
                ctx.wait("pause", Duration.ofSeconds(1));
                return r;
            });
        })) {
            f.engine.start("parent", "p", "in");
            f.idle().restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("CHILD GOT HELLO");
        }
    }

    @Test
    void theSubmitterOfWaitForCallbackIsRetriedByItsOwnPolicy() {
        AtomicInteger submissions = new AtomicInteger();
        CallbackConfig retried = CallbackConfig.builder()
                .submitterRetry(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialDelay(Duration.ofSeconds(1))
                        .build())
                .build();
        CallbackConfig once =
                CallbackConfig.builder().submitterRetry(RetryPolicy.noRetry()).build();
        try (EngineFixture f = new EngineFixture(e -> {
            for (String name : List.of("retried", "once")) {
                e.register(
                        name,
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.waitForCallback(
                                "c",
                                String.class,
                                (id, s) -> {
                                    if (submissions.incrementAndGet() % 2 == 1) {
                                        throw new IllegalStateException("mail server down");
                                    }
                                    ids.add(id);
                                },
                                name.equals("retried") ? retried : once));
            }
        })) {
            f.engine.start("retried", "r", "in");
            f.advance(Duration.ofSeconds(1));
            assertThat(ids).hasSize(1);
            f.engine.completeCallback(ids.get(0), "done");
            assertThat(f.engine.<String>execution("r").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
            f.engine.start("once", "o", "in");
            assertThatThrownBy(() -> f.engine.execution("o").result(Duration.ofSeconds(5)))
                    .hasMessageContaining("mail server down");
        }
    }
}
