package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.ResultTimeoutException;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.InvocationStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An execution whose code no longer matches its history is held, never failed by the engine, and never loses work. */
class BlockedTest {
    /** Version "a" of the handler journals step 'a'; switching to "b" breaks executions in flight. */
    private final AtomicReference<String> firstStep = new AtomicReference<>("a");

    private EngineFixture fixture() {
        return new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            String x = ctx.step(firstStep.get(), String.class, s -> "x");
            ctx.wait("w", Duration.ofMinutes(1));
            return x + "-done";
        }));
    }

    @Test
    void aDivergingExecutionIsBlockedWithItsReasonAndItsJournalUnchanged() {
        try (EngineFixture f = fixture()) {
            f.engine.start("h", "e1", "in");
            f.idle();
            List<JournalRecord> before = f.journal.read("e1");
            firstStep.set("b");
            f.restart().advance(Duration.ofMinutes(1));

            ExecutionInfo info = f.engine.list().get(0);
            assertThat(info.status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(info.status().isTerminal()).isFalse();
            assertThat(info.finishedAt()).isNull();
            assertThat(info.blockedReason())
                    .contains("at operation 1")
                    .contains("the journal holds STEP 'a'")
                    .contains("the code now performs STEP 'b'")
                    .contains("BlockedTest");
            assertThat(f.engine.list(ExecutionStatus.BLOCKED))
                    .extracting(ExecutionInfo::name)
                    .containsExactly("e1");
            ExecutionDetails d = f.engine.describe("e1");
            assertThat(d.info().status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(d.error().type()).isEqualTo("dev.durable.NonDeterministicExecutionException");
            assertThat(d.error().message()).isEqualTo(info.blockedReason());
            assertThat(f.journal.read("e1")).isEqualTo(before);
            assertThat(f.journal.read("e1")).noneMatch(r -> r.type() == RecordType.EXECUTION_FINISHED);
            assertThatThrownBy(() -> f.engine.execution("e1").result(Duration.ofMillis(50)))
                    .isInstanceOf(ResultTimeoutException.class);
            assertThat(f.engine.execution("e1").future()).isNotDone();

            // held: time passing does not run it again
            f.advance(Duration.ofDays(1));
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.journal.read("e1")).isEqualTo(before);
        }
    }

    @Test
    void restartingWithFixedCodeResumesTheBlockedExecution() {
        try (EngineFixture f = fixture()) {
            f.engine.start("h", "e1", "in");
            f.idle();
            firstStep.set("b");
            f.restart().advance(Duration.ofMinutes(1));
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);

            firstStep.set("a");
            f.restart();
            assertThat(f.engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("x-done");
            assertThat(f.engine.list().get(0).blockedReason()).isNull();
        }
    }

    @Test
    void aRetryReplaysABlockedExecutionNowWithoutJournalingAnything() {
        try (EngineFixture f = fixture()) {
            f.engine.start("h", "e1", "in");
            f.idle();
            firstStep.set("b");
            f.restart().advance(Duration.ofMinutes(1));
            int records = f.journal.read("e1").size();

            f.engine.retry("e1");
            f.idle();
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.journal.read("e1")).hasSize(records);

            firstStep.set("a");
            f.engine.retry("e1");
            assertThat(f.engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("x-done");
        }
    }

    @Test
    void anOperatorFailsABlockedExecutionNamingTheActionTheReasonAndTheDivergence() {
        try (EngineFixture f = fixture()) {
            f.engine.start("h", "e1", "in");
            f.idle();
            firstStep.set("b");
            f.restart().advance(Duration.ofMinutes(1));

            f.engine.fail("e1", "order withdrawn");

            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.FAILED);
            ExecutionDetails d = f.engine.describe("e1");
            assertThat(d.error().type()).isEqualTo(DurableEngine.OPERATOR_FAILURE);
            assertThat(d.error().message())
                    .startsWith("failed by an operator: order withdrawn (it was BLOCKED: ")
                    .contains("the journal holds STEP 'a'");
            assertThat(d.info().blockedReason()).isNull();
            assertThatThrownBy(() -> f.engine.execution("e1").result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasMessageContaining("failed by an operator: order withdrawn");
            assertThat(f.journal.read("e1").get(f.journal.read("e1").size() - 1).type())
                    .isEqualTo(RecordType.EXECUTION_FINISHED);
        }
    }

    @Test
    void failingAnExecutionThatIsNotBlockedIsRefusedAndChangesNothing() {
        try (EngineFixture f = fixture()) {
            f.engine.start("h", "e1", "in");
            f.idle();
            assertThatThrownBy(() -> f.engine.fail("e1", "why not"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("execution 'e1' is WAITING, not BLOCKED; only an execution whose code no longer"
                            + " matches its history can be failed by an operator (cancel ends an execution that"
                            + " runs or waits)");
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> f.engine.fail("e1", null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("execution 'e1' is SUCCEEDED, not BLOCKED; only an execution whose code no longer"
                            + " matches its history can be failed by an operator");
        }
    }

    @Test
    void userCodeThatCatchesTheDivergenceCannotJournalPastIt() {
        AtomicBoolean renamed = new AtomicBoolean();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            try {
                ctx.runInChildContext("child", String.class, c -> {
                    c.step(renamed.get() ? "renamed" : "original", String.class, s -> "x");
                    c.wait("w", Duration.ofMinutes(1));
                    return "child-done";
                });
            } catch (RuntimeException swallowed) {
                return ctx.step("fallback", String.class, s -> "fell back");
            }
            return "done";
        }))) {
            f.engine.start("h", "e1", "in");
            f.idle();
            List<JournalRecord> before = f.journal.read("e1");
            renamed.set(true);
            f.restart().advance(Duration.ofMinutes(1));

            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.journal.read("e1")).isEqualTo(before);
            assertThat(f.engine.list().get(0).blockedReason())
                    .contains("at operation 1/1: the journal holds STEP 'original'");
        }
    }

    @Test
    void aRunThatDivergesEndsForPluginsAsPendingWithTheDivergence() {
        List<InvocationEnd> ends = new CopyOnWriteArrayList<>();
        DurablePlugin plugin = new DurablePlugin() {
            @Override
            public void onInvocationEnd(InvocationEnd end) {
                ends.add(end);
            }
        };
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        java.util.function.Consumer<DurableEngine> register =
                e -> e.register("h", String.class, String.class, (in, ctx) -> {
                    String x = ctx.step(firstStep.get(), String.class, s -> "x");
                    ctx.wait("w", Duration.ofMinutes(1));
                    return x + "-done";
                });
        try (DurableEngine first =
                DurableEngine.builder().journal(journal).clock(clock).build()) {
            register.accept(first);
            first.start("h", "e1", "in");
            assertThat(first.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        firstStep.set("b");
        journal.reopen();
        try (DurableEngine second = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .plugin(plugin)
                .build()) {
            register.accept(second);
            clock.advance(Duration.ofMinutes(1));
            assertThat(second.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(second.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
        }
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.status()).isEqualTo(InvocationStatus.PENDING);
            assertThat(end.error().type()).isEqualTo(NonDeterministicExecutionException.class.getName());
        });
    }

    @Test
    void anExecutionWokenEarlyThatDivergesIsNotRunAgainWhenItsEarlierDueTimeComes() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<String> callback = new AtomicReference<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            runs.incrementAndGet();
            String x = ctx.step(firstStep.get(), String.class, s -> "x");
            callback.set(ctx.createCallback("poke", String.class, dev.durable.CallbackConfig.defaults())
                    .id());
            ctx.wait("w", Duration.ofHours(1));
            return x + "-done";
        }))) {
            f.engine.start("h", "e1", "in");
            f.idle();
            firstStep.set("b"); // the code changes under the waiting execution
            f.advance(Duration.ofMinutes(10));
            f.engine.completeCallback(callback.get(), "now");
            f.idle();
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(runs).hasValue(2);
            f.advance(Duration.ofHours(1)); // past the wait's due time
            assertThat(runs).hasValue(2);
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
        }
    }
}
