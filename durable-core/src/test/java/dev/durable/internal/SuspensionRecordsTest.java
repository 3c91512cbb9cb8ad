package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.plugin.DurablePlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A journal that records suspensions lets a reopened runtime schedule suspended executions without replaying them:
 * none of their histories is read until one is due or woken, and a record the run did not see makes it run.
 */
class SuspensionRecordsTest {
    private final CallbackIndexTest.CountingJournal journal = new CallbackIndexTest.CountingJournal();
    private final ManualClock clock = new ManualClock();
    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private DurableEngine engine;
    private DurablePlugin plugin;

    @BeforeEach
    void recordSuspensions() {
        journal.suspensions = true;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void open() {
        if (engine != null) {
            engine.close();
        }
        journal.journal.reopen();
        EngineBuilder builder =
                DurableEngine.builder().journal(journal).clock(clock).threads(4);
        engine = (plugin == null ? builder : builder.plugin(plugin)).build();
        engine.register(
                "approve",
                String.class,
                String.class,
                (order, ctx) -> "approved by "
                        + ctx.waitForCallback(
                                "manager",
                                String.class,
                                (id, step) -> callbackOf.put(order, id),
                                CallbackConfig.defaults()));
        engine.register("deadline", String.class, String.class, (order, ctx) -> {
            try {
                return ctx.waitForCallback(
                        "manager",
                        String.class,
                        (id, step) -> callbackOf.put(order, id),
                        CallbackConfig.timeout(Duration.ofHours(2)));
            } catch (CallbackTimeoutException e) {
                return "timed out";
            }
        });
        engine.register("nap", Integer.class, Integer.class, (hours, ctx) -> {
            ctx.wait("nap", Duration.ofHours(hours));
            return hours;
        });
        engine.register("reminder", Integer.class, Integer.class, (minutes, ctx) -> {
            ctx.createCallback("ping", String.class, CallbackConfig.timeout(Duration.ofMinutes(minutes)));
            ctx.wait("nap", Duration.ofHours(1));
            return minutes;
        });
        engine.register("two", String.class, String.class, (order, ctx) -> {
            callbackOf.put(
                    order + "-a",
                    ctx.createCallback("a", String.class, CallbackConfig.defaults())
                            .id());
            callbackOf.put(
                    order + "-b",
                    ctx.createCallback("b", String.class, CallbackConfig.defaults())
                            .id());
            ctx.wait("nap", Duration.ofHours(1));
            return order;
        });
        engine.register(
                "parent",
                String.class,
                String.class,
                (in, ctx) -> "parent of " + ctx.invoke("child", "approve", in + "-child", String.class));
    }

    private void idle() {
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private List<String> waiting() {
        return engine.list(ExecutionStatus.WAITING).stream()
                .map(ExecutionInfo::name)
                .sorted()
                .toList();
    }

    @Test
    void executionsWaitingForCallbacksAreNotReplayedWhenTheRuntimeOpensAndOneCompletionReadsOnlyItsExecution() {
        open();
        for (int i = 0; i < 5; i++) {
            engine.start("approve", "o" + i, "o" + i);
        }
        idle();
        open();
        idle();
        journal.reads.clear();
        assertThat(waiting()).containsExactly("o0", "o1", "o2", "o3", "o4");
        engine.completeCallback(callbackOf.get("o3"), "eve");
        assertThat(engine.<String>execution("o3").result(Duration.ofSeconds(5))).isEqualTo("approved by eve");
        idle();
        assertThat(journal.reads).containsOnly("o3");
        assertThat(waiting()).containsExactly("o0", "o1", "o2", "o4");
    }

    @Test
    void callbacksCompletedAfterARestartBeforeTheirExecutionsRunAgainEndAsTheOperationsTheCodeWrote() {
        open();
        engine.start("approve", "o", "o");
        engine.start("two", "t", "t");
        idle();
        PluginHooksTest.Recorder recorder = new PluginHooksTest.Recorder();
        plugin = recorder;
        open();
        idle();
        // read back from the journal: neither execution has run since the restart
        engine.completeCallback(callbackOf.get("o"), "eve");
        engine.completeCallback(callbackOf.get("t-a"), "x");
        idle();
        assertThat(recorder.matching("op-end 1 "))
                .containsExactlyInAnyOrder(
                        "op-end 1 manager WAIT_FOR_CALLBACK SUCCEEDED attempt=0",
                        "op-end 1 a CALLBACK SUCCEEDED attempt=0");
    }

    @Test
    void aRestartReadsNoHistoryOfASuspendedExecutionUntilItsTimerIsDue() {
        open();
        engine.start("nap", "short", 1);
        engine.start("nap", "long", 5);
        idle();
        journal.reads.clear();
        open();
        idle();
        assertThat(journal.reads).isEmpty();
        assertThat(waiting()).containsExactly("long", "short");
        clock.advance(Duration.ofHours(2));
        assertThat(engine.<Integer>execution("short").result(Duration.ofSeconds(5)))
                .isEqualTo(1);
        idle();
        assertThat(journal.reads).containsOnly("short");
        assertThat(waiting()).containsExactly("long");
    }

    @Test
    void aTimerThatFellDueWhileTheRuntimeWasClosedFiresWhenItOpens() {
        open();
        engine.start("nap", "due", 1);
        idle();
        engine.close();
        clock.advance(Duration.ofHours(3));
        open();
        assertThat(engine.<Integer>execution("due").result(Duration.ofSeconds(5)))
                .isEqualTo(1);
    }

    @Test
    void aCallbackDeadlineIsKeptAcrossARestartThatReadsNoHistory() {
        open();
        engine.start("deadline", "d", "d");
        idle();
        open();
        idle();
        journal.reads.clear();
        clock.advance(Duration.ofHours(3));
        assertThat(engine.<String>execution("d").result(Duration.ofSeconds(5))).isEqualTo("timed out");
    }

    @Test
    void aRecordTheSuspendedRunDidNotSeeMakesTheExecutionRunWhenTheRuntimeOpens() {
        open();
        engine.start("approve", "raced", "raced");
        idle();
        engine.close();
        // a completion journaled while the run was suspending, so before the record of its suspension
        List<JournalRecord> records = new ArrayList<>(journal.journal.read("raced"));
        JournalRecord suspension = records.remove(records.size() - 1);
        assertThat(suspension.type()).isEqualTo(RecordType.EXECUTION_SUSPENDED);
        JournalRecord started = records.stream()
                .filter(r -> r.type() == RecordType.OPERATION
                        && EventCodec.readOperation(r).type() == OpType.CALLBACK)
                .findFirst()
                .orElseThrow();
        OpEvent completed = OpEvent.of(OpType.CALLBACK, "manager", OpStatus.SUCCEEDED, clock.now())
                .result("\"zed\"");
        records.add(EventCodec.operation("raced", started.operationId(), completed));
        records.add(suspension);
        journal.journal.forget(List.of("raced"));
        journal.journal.reopen();
        records.forEach(journal.journal::append);
        open();
        assertThat(engine.<String>execution("raced").result(Duration.ofSeconds(5)))
                .isEqualTo("approved by zed");
    }

    @Test
    void aParentWhoseChildEndedBeforeTheRestartRunsWhenTheRuntimeOpens() {
        open();
        engine.start("parent", "p", "p");
        idle();
        List<String> waiting = waiting();
        assertThat(waiting).hasSize(2).contains("p");
        String child = waiting.stream().filter(n -> !n.equals("p")).findFirst().orElseThrow();
        engine.close();
        // the child's end was journaled, and the process stopped before the parent ran again
        journal.journal.reopen();
        journal.journal.append(EventCodec.execution(
                RecordType.EXECUTION_FINISHED,
                child,
                ExecutionEvent.finished(ExecutionStatus.SUCCEEDED, clock.now(), "\"approved by kim\"", null)));
        open();
        assertThat(engine.<String>execution("p").result(Duration.ofSeconds(5))).isEqualTo("parent of approved by kim");
    }

    @Test
    void aJournalThatDoesNotAskForThemGetsNoSuspensionRecords() {
        journal.suspensions = false;
        open();
        engine.start("nap", "n", 1);
        engine.start("approve", "a", "a");
        idle();
        assertThat(journal.journal.all()).noneMatch(r -> r.type() == RecordType.EXECUTION_SUSPENDED);
        journal.reads.clear();
        open();
        idle();
        assertThat(journal.reads).containsExactlyInAnyOrder("n", "a");
    }

    @Test
    void aSuspensionRecordNamesOnlyTheCallbacksStillPending() {
        open();
        engine.start("two", "t", "t");
        idle();
        engine.completeCallback(callbackOf.get("t-a"), "done");
        idle();
        JournalRecord last = journal.journal.last("t");
        assertThat(last.type()).isEqualTo(RecordType.EXECUTION_SUSPENDED);
        assertThat(EventCodec.readSuspended(last).callbacks()).containsExactly(callbackOf.get("t-b"));
    }

    @Test
    void aSuspensionRecordIsDueAtTheEarlierOfItsTimerAndItsCallbacksDeadlines() {
        open();
        engine.start("reminder", "early", 30);
        engine.start("reminder", "late", 120);
        idle();
        assertThat(EventCodec.readSuspended(journal.journal.last("early")).wakeAt())
                .isEqualTo(clock.now().plus(Duration.ofMinutes(30)));
        assertThat(EventCodec.readSuspended(journal.journal.last("late")).wakeAt())
                .isEqualTo(clock.now().plus(Duration.ofHours(1)));
    }
}
