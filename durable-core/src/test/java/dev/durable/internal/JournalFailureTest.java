package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.ManualClock;
import dev.durable.PayloadTooLargeException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime that alone owns its journal, when the journal fails or holds what the code cannot take: each execution
 * concerned ends failed with the reason, or stops where it was, and its caller learns which.
 */
class JournalFailureTest {
    private final CallbackIndexTest.CountingJournal journal = new CallbackIndexTest.CountingJournal();
    private final ManualClock clock = new ManualClock();
    private final PluginHooksTest.Recorder plugin = new PluginHooksTest.Recorder();
    private final AtomicInteger runs = new AtomicInteger();
    private DurableEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private DurableEngine open(long payloadLimit) {
        engine = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .threads(4)
                .payloadLimit(payloadLimit)
                .plugin(plugin)
                .build();
        engine.register("double", Integer.class, Integer.class, (n, ctx) -> {
            runs.incrementAndGet();
            return ctx.step("double", Integer.class, s -> n * 2);
        });
        engine.register("text", Integer.class, String.class, (n, ctx) -> "x".repeat(n));
        engine.register(
                "parent", Integer.class, Integer.class, (n, ctx) -> ctx.invoke("child", "double", n, Integer.class));
        return engine;
    }

    private DurableEngine open() {
        return open(dev.durable.DurableRuntime.DEFAULT_PAYLOAD_LIMIT);
    }

    private void idle() {
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aHistoryThatCannotBeReadFailsTheExecutionWithTheJournalsReason() {
        open();
        journal.readsFail = true;
        assertThatThrownBy(() -> engine.start("double", "d", 2).result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("the journal could not read 'd'");
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void aJournaledInputThatNoLongerConvertsFailsTheExecutionWithoutRunningIt() {
        journal.append(EventCodec.execution(
                RecordType.EXECUTION_STARTED,
                "d",
                ExecutionEvent.started("double", 1, "\"two\"", clock.now(), null, null)));
        open();
        assertThatThrownBy(() -> engine.execution("d").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("execution 'd' failed");
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void anExecutionWhoseJournalShowsItsEndBeforeALaterRecordEndsSoWithoutRunning() {
        journal.append(EventCodec.execution(
                RecordType.EXECUTION_STARTED, "d", ExecutionEvent.started("double", 1, "2", clock.now(), null, null)));
        journal.append(EventCodec.execution(
                RecordType.EXECUTION_FINISHED,
                "d",
                ExecutionEvent.finished(ExecutionStatus.CANCELLED, clock.now(), null, null)));
        // a step's record that the cancel overtook
        journal.append(EventCodec.operation(
                "d",
                "1",
                OpEvent.of(OpType.STEP, "double", OpStatus.SUCCEEDED, clock.now())
                        .result("4")));
        open();
        assertThatThrownBy(() -> engine.execution("d").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionCancelledException.class);
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void aResultOverThePayloadLimitFailsTheExecutionSayingWhichResult() {
        open(100);
        assertThatThrownBy(() -> engine.start("text", "t", 200).result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("the result of execution 't'")
                .hasRootCauseInstanceOf(PayloadTooLargeException.class);
        idle();
        assertThat(plugin.matching("inv-end")).containsExactly("inv-end FAILED");
        assertThat(engine.start("text", "fits", 10).result(Duration.ofSeconds(5)))
                .isEqualTo("x".repeat(10));
    }

    @Test
    void aStepRecordTheJournalRefusedStopsTheExecutionWhereItWasAndItsCallerGetsTheJournalsError() {
        open();
        journal.refuses = r -> r.type() == RecordType.OPERATION;
        assertThatThrownBy(() -> engine.start("double", "d", 2).result(Duration.ofSeconds(5)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal refused a record of 'd'");
        idle();
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(journal.journal.last("d").type()).isEqualTo(RecordType.EXECUTION_STARTED);
        assertThat(plugin.matching("inv-end")).containsExactly("inv-end PENDING");
    }

    @Test
    void aChildStartTheJournalRefusedFailsTheParentWithTheJournalsError() {
        open();
        journal.refuses = r ->
                r.type() == RecordType.EXECUTION_STARTED && !r.executionId().equals("p");
        assertThatThrownBy(() -> engine.start("parent", "p", 2).result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("the journal refused a record of");
        idle();
        assertThat(engine.execution("p").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(plugin.matching("inv-end")).containsExactly("inv-end FAILED");
    }

    @Test
    void anEndTheJournalRefusedGivesTheCallerTheJournalsErrorAndACancelItRefusesThrowsIt() {
        open();
        journal.refuses = r -> r.type() == RecordType.EXECUTION_FINISHED;
        assertThatThrownBy(() -> engine.start("double", "d", 2).result(Duration.ofSeconds(5)))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal refused a record of 'd'");
        idle();
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThatThrownBy(() -> engine.cancel("d"))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal refused a record of 'd'");
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(plugin.matching("inv-end"))
                .as("the run ends for plugins as failed, not as succeeded")
                .containsExactly("inv-end FAILED");
    }

    @Test
    void anOperatorsFailureTheJournalRefusedIsReportedWithTheJournalsErrorAndChangesNothing() {
        journal.append(EventCodec.execution(
                RecordType.EXECUTION_STARTED, "d", ExecutionEvent.started("double", 1, "2", clock.now(), null, null)));
        // journaled by code that named its step differently: this code diverges and the execution is blocked
        journal.append(EventCodec.operation(
                "d",
                "1",
                OpEvent.of(OpType.STEP, "triple", OpStatus.SUCCEEDED, clock.now())
                        .result("6")));
        open();
        idle();
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.BLOCKED);
        journal.refuses = r -> r.type() == RecordType.EXECUTION_FINISHED;
        assertThatThrownBy(() -> engine.fail("d", "the old code is gone"))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal refused a record of 'd'");
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.BLOCKED);
        journal.refuses = r -> false;
        engine.fail("d", "the old code is gone");
        assertThat(engine.execution("d").status()).isEqualTo(ExecutionStatus.FAILED);
    }
}
