package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.ContextFunction;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.ParallelConfig;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The typed history an operator's tools read: what each record is to the user who wrote the handler. */
class HistoryTest {
    private final List<String> callbackIds = new CopyOnWriteArrayList<>();

    private void registerEverything(DurableEngine e) {
        e.register("double", Integer.class, Integer.class, (n, ctx) -> n * 2);
        e.register("all", String.class, String.class, (in, ctx) -> {
            String s = ctx.step("first", String.class, st -> "one");
            Instant now = ctx.now();
            String approved = ctx.waitForCallback(
                    "approve", String.class, (id, st) -> callbackIds.add(id), CallbackConfig.defaults());
            int polled = ctx.waitForCondition(
                    "poll",
                    Integer.class,
                    (state, st) -> state + 1,
                    WaitForConditionConfig.of(
                            0, WaitStrategy.<Integer>until(n -> n >= 2).initialDelay(Duration.ofSeconds(1))));
            String child = ctx.runInChildContext("sub", String.class, c -> c.step("inner", String.class, st -> "in"));
            BatchResult<String> par = ctx.parallel(
                    "par",
                    String.class,
                    List.of(c -> "a", ContextFunction.named("bee", c -> "b")),
                    ParallelConfig.defaults());
            BatchResult<Integer> mapped =
                    ctx.map("map", List.of(5), Integer.class, (item, i, c) -> item, ParallelConfig.defaults());
            int doubled = ctx.invoke("call", "double", 4, Integer.class);
            return s + approved + polled + child + par.results() + mapped.results() + doubled + (now != null);
        });
    }

    @Test
    void everyKindOfOperationIsNamedAsItsUserWroteIt() {
        try (EngineFixture f = new EngineFixture(this::registerEverything)) {
            f.engine.start("all", "x", "in");
            f.idle();
            f.engine.completeCallback(callbackIds.get(0), "yes");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("oneyes2in[a, b][5]8true");
            f.restart();
            List<HistoryEvent> h = f.engine.history("x");
            List<String> subTypes = new ArrayList<>();
            for (HistoryEvent e : h) {
                if (!e.isExecutionEvent() && !subTypes.contains(e.subType())) {
                    subTypes.add(e.subType());
                }
            }
            assertThat(subTypes)
                    .containsExactly(
                            "step",
                            "now",
                            "callback",
                            "wait-for-callback submitter",
                            "wait-for-condition",
                            "child context",
                            "parallel branch",
                            "parallel",
                            "map item",
                            "map",
                            "invoke");
            assertThat(h)
                    .filteredOn(e -> "parallel branch".equals(e.subType()))
                    .extracting(HistoryEvent::name)
                    .containsExactlyInAnyOrder("branch-0", "bee"); // the branches run concurrently
            assertThat(h)
                    .filteredOn(e -> "map item".equals(e.subType()))
                    .extracting(HistoryEvent::parentId)
                    .containsOnly("8");
            assertThat(h)
                    .filteredOn(e -> "invoke".equals(e.subType()))
                    .extracting(HistoryEvent::childExecution)
                    .containsOnly("x/9");
            assertThat(h)
                    .filteredOn(e -> "wait-for-condition".equals(e.subType()))
                    .extracting(HistoryEvent::kind, HistoryEvent::attempt)
                    .containsExactly(
                            tuple(HistoryEvent.Kind.OPERATION_RETRYING, 1),
                            tuple(HistoryEvent.Kind.OPERATION_SUCCEEDED, 2));
            assertThat(h)
                    .filteredOn(e -> "callback".equals(e.subType()))
                    .extracting(HistoryEvent::kind, HistoryEvent::callbackId)
                    .containsExactly(
                            tuple(HistoryEvent.Kind.OPERATION_STARTED, callbackIds.get(0)),
                            tuple(HistoryEvent.Kind.OPERATION_SUCCEEDED, null));
            for (int i = 0; i < h.size(); i++) {
                assertThat(h.get(i).sequence()).isEqualTo(i);
            }
            HistoryEvent start = h.get(0);
            assertThat(start.kind()).isEqualTo(HistoryEvent.Kind.EXECUTION_STARTED);
            assertThat(start.name()).isEqualTo("all");
            assertThat(start.result()).isEqualTo("\"in\"");
            assertThat(start.isExecutionEvent()).isTrue();
            assertThat(start.isStepAttemptStart()).isFalse();
            HistoryEvent end = h.get(h.size() - 1);
            assertThat(end.kind()).isEqualTo(HistoryEvent.Kind.EXECUTION_SUCCEEDED);
            assertThat(end.result()).isEqualTo("\"oneyes2in[a, b][5]8true\"");

            List<HistoryEvent> child = f.engine.history("x/9");
            assertThat(child.get(0).childExecution()).isEqualTo("x");
            assertThat(child.get(0).parentId()).isEqualTo("9");
            assertThat(child.get(0).name()).isEqualTo("double");
        }
    }

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static List<JournalRecord> journal(Object... idsAndEvents) {
        List<JournalRecord> records = new ArrayList<>();
        records.add(EventCodec.execution(
                RecordType.EXECUTION_STARTED, "x", ExecutionEvent.started("f", "1", T0, null, null)));
        for (int i = 0; i < idsAndEvents.length; i += 2) {
            records.add(EventCodec.operation("x", (String) idsAndEvents[i], (OpEvent) idsAndEvents[i + 1]));
        }
        return records;
    }

    private static OpEvent ev(OpType type, String name, OpStatus status) {
        return OpEvent.of(type, name, status, T0);
    }

    private static String subTypeOf(List<JournalRecord> records, String id) {
        return JournalHistory.events(records).stream()
                .filter(e -> id.equals(e.operationId()))
                .findFirst()
                .orElseThrow()
                .subType();
    }

    @Test
    void aStepIsASubmitterOnlyWhenNamedAfterTheCallbackRightBeforeIt() {
        List<JournalRecord> nested = journal(
                "3", ev(OpType.CONTEXT, "ctx", OpStatus.SUCCEEDED),
                "3/1", ev(OpType.CALLBACK, "ok", OpStatus.STARTED),
                "3/2", ev(OpType.STEP, "ok.submit", OpStatus.SUCCEEDED),
                "3/3", ev(OpType.STEP, "ok.submit", OpStatus.SUCCEEDED),
                "4", ev(OpType.CALLBACK, "cb", OpStatus.STARTED),
                "5", ev(OpType.STEP, "other.submit", OpStatus.SUCCEEDED),
                "6", ev(OpType.STEP, "submit", OpStatus.SUCCEEDED),
                "7", ev(OpType.STEP, null, OpStatus.SUCCEEDED),
                "8", ev(OpType.WAIT, "w", OpStatus.STARTED),
                "9", ev(OpType.STEP, "w.submit", OpStatus.SUCCEEDED),
                "10", ev(OpType.CALLBACK, "ten", OpStatus.STARTED),
                "11", ev(OpType.STEP, "ten.submit", OpStatus.SUCCEEDED),
                "12", ev(OpType.CALLBACK, "twelve", OpStatus.STARTED),
                "12x", ev(OpType.STEP, "twelve.submit", OpStatus.SUCCEEDED),
                "1", ev(OpType.CALLBACK, "cb", OpStatus.STARTED),
                "2", ev(OpType.STEP, "cb.submit", OpStatus.SUCCEEDED));
        assertThat(subTypeOf(nested, "3/2")).isEqualTo("wait-for-callback submitter");
        assertThat(subTypeOf(nested, "3/3")).isEqualTo("step");
        assertThat(subTypeOf(nested, "5")).isEqualTo("step");
        assertThat(subTypeOf(nested, "6")).isEqualTo("step");
        assertThat(subTypeOf(nested, "7")).isEqualTo("step");
        assertThat(subTypeOf(nested, "9")).isEqualTo("step");
        assertThat(subTypeOf(nested, "11")).isEqualTo("wait-for-callback submitter");
        assertThat(subTypeOf(nested, "12x")).isEqualTo("step");
        assertThat(subTypeOf(nested, "2")).isEqualTo("wait-for-callback submitter");
        assertThat(subTypeOf(nested, "3/1")).isEqualTo("callback");
    }

    @Test
    void eachRecordBecomesTheEventOfItsKind() {
        List<JournalRecord> records = journal(
                "1", ev(OpType.STEP, "a", OpStatus.STARTED).attempt(1),
                "1", ev(OpType.STEP, "a", OpStatus.RETRY).attempt(1).until(T0.plusSeconds(3)),
                "1", ev(OpType.STEP, "a", OpStatus.FAILED).attempt(2).error(ErrorInfo.of("E", "m")),
                "2", ev(OpType.CALLBACK, "c", OpStatus.STARTED),
                "2", ev(OpType.CALLBACK, "c", OpStatus.HEARTBEAT),
                "2",
                        ev(OpType.CALLBACK, "c", OpStatus.FAILED)
                                .error(ErrorInfo.of(CallbackTimeoutException.class.getName(), "late")),
                "3", ev(OpType.CALLBACK, "d", OpStatus.FAILED),
                "4", ev(OpType.MAP, "m", OpStatus.SUCCEEDED),
                "4/1", ev(OpType.BRANCH, "item-0", OpStatus.SUCCEEDED),
                "5", ev(OpType.PARALLEL, "p", OpStatus.SUCCEEDED),
                "5/1", ev(OpType.BRANCH, "branch-0", OpStatus.SUCCEEDED),
                "6/1", ev(OpType.BRANCH, "orphan", OpStatus.SUCCEEDED));
        records.add(EventCodec.execution(
                RecordType.EXECUTION_FINISHED,
                "x",
                ExecutionEvent.finished(ExecutionStatus.FAILED, T0.plusSeconds(9), null, ErrorInfo.of("E", "m"))));
        records.add(EventCodec.execution(
                RecordType.EXECUTION_RETRIED,
                "x",
                ExecutionEvent.finished(ExecutionStatus.RUNNING, T0.plusSeconds(10), null, null)));
        records.add(EventCodec.execution(
                RecordType.EXECUTION_FINISHED,
                "x",
                ExecutionEvent.finished(ExecutionStatus.CANCELLED, T0.plusSeconds(11), null, null)));
        List<HistoryEvent> h = JournalHistory.events(records);
        assertThat(h)
                .extracting(HistoryEvent::kind)
                .containsExactly(
                        HistoryEvent.Kind.EXECUTION_STARTED,
                        HistoryEvent.Kind.OPERATION_STARTED,
                        HistoryEvent.Kind.OPERATION_RETRYING,
                        HistoryEvent.Kind.OPERATION_FAILED,
                        HistoryEvent.Kind.OPERATION_STARTED,
                        HistoryEvent.Kind.CALLBACK_HEARTBEAT,
                        HistoryEvent.Kind.OPERATION_TIMED_OUT,
                        HistoryEvent.Kind.OPERATION_FAILED,
                        HistoryEvent.Kind.OPERATION_SUCCEEDED,
                        HistoryEvent.Kind.OPERATION_SUCCEEDED,
                        HistoryEvent.Kind.OPERATION_SUCCEEDED,
                        HistoryEvent.Kind.OPERATION_SUCCEEDED,
                        HistoryEvent.Kind.OPERATION_SUCCEEDED,
                        HistoryEvent.Kind.EXECUTION_FAILED,
                        HistoryEvent.Kind.EXECUTION_RETRIED,
                        HistoryEvent.Kind.EXECUTION_CANCELLED);
        assertThat(h.get(1).isStepAttemptStart()).isTrue();
        assertThat(h.get(2).isStepAttemptStart()).isFalse();
        assertThat(h.get(4).isStepAttemptStart()).isFalse();
        assertThat(h.get(2).until()).isEqualTo(T0.plusSeconds(3));
        assertThat(h.get(3).error().message()).isEqualTo("m");
        assertThat(h.get(3).operationType()).isEqualTo("STEP");
        assertThat(h.get(1).parentId()).isNull();
        assertThat(h.get(9).subType()).isEqualTo("map item");
        assertThat(h.get(9).parentId()).isEqualTo("4");
        assertThat(h.get(11).subType()).isEqualTo("parallel branch");
        assertThat(h.get(12).subType()).isEqualTo("parallel branch");
        assertThat(h.get(12).parentId()).isEqualTo("6");
        assertThat(h.get(13).error().type()).isEqualTo("E");
        assertThat(h.get(13).at()).isEqualTo(T0.plusSeconds(9));
        assertThat(h.get(14).at()).isEqualTo(T0.plusSeconds(10));
        assertThat(h.get(14).isExecutionEvent()).isTrue();
        assertThat(h.get(15).at()).isEqualTo(T0.plusSeconds(11));
    }
}
