package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.ManualClock;
import dev.durable.UnknownCallbackException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finding a callback by id after a restart reads the history of the execution it belongs to, not every execution's:
 * the index learns callbacks as they are created, from the histories runs read anyway, and from a history read on
 * demand only for executions not read since the runtime opened.
 */
class CallbackIndexTest {
    /**
     * Passes everything to a memory journal and notes which executions' whole histories are read; can be told to
     * refuse appends or reads, as a failing disk or database does.
     */
    static final class CountingJournal implements Journal {
        final MemoryJournal journal = new MemoryJournal();
        final List<String> reads = new CopyOnWriteArrayList<>();
        volatile boolean suspensions;
        /** The appends refused as a failing disk or database refuses them. */
        volatile java.util.function.Predicate<JournalRecord> refuses = r -> false;
        /** Set to fail every read. */
        volatile boolean readsFail;
        /** Who the runtime asked to be told of commits, or {@code null}. */
        volatile CommitObserver commits;

        @Override
        public void observeCommits(CommitObserver observer) {
            commits = observer;
        }

        @Override
        public boolean recordsSuspensions() {
            return suspensions;
        }

        @Override
        public int count(String executionId) {
            return journal.read(executionId).size();
        }

        @Override
        public void append(JournalRecord record) {
            if (refuses.test(record)) {
                throw new dev.durable.JournalException(
                        "the journal refused a record of '" + record.executionId() + "'");
            }
            journal.append(record);
        }

        @Override
        public Collection<String> executionIds() {
            return journal.executionIds();
        }

        @Override
        public List<JournalRecord> read(String executionId) {
            reads.add(executionId);
            if (readsFail) {
                throw new dev.durable.JournalException("the journal could not read '" + executionId + "'");
            }
            return journal.read(executionId);
        }

        @Override
        public JournalRecord first(String executionId) {
            return journal.first(executionId);
        }

        @Override
        public JournalRecord last(String executionId) {
            return journal.last(executionId);
        }

        @Override
        public void forget(Collection<String> executionIds) {
            journal.forget(executionIds);
        }

        @Override
        public void close() {
            journal.close();
        }
    }

    final CountingJournal journal = new CountingJournal();
    private final ManualClock clock = new ManualClock();
    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private DurableEngine engine;

    private DurableEngine open(boolean register) {
        journal.journal.reopen();
        engine =
                DurableEngine.builder().journal(journal).clock(clock).threads(4).build();
        if (register) {
            register();
        }
        return engine;
    }

    private void register() {
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
    }

    private void idle() {
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    /** Starts {@code waiting + ended} executions, each waiting for a callback, and completes {@code ended} of them. */
    private void startExecutions(int ended, int waiting) {
        open(true);
        for (int i = 0; i < ended + waiting; i++) {
            engine.start("approve", "o" + i, "o" + i);
        }
        idle();
        for (int i = 0; i < ended; i++) {
            engine.completeCallback(callbackOf.get("o" + i), "ann");
        }
        idle();
        engine.close();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void completingACallbackBeforeItsFunctionIsRegisteredAgainReadsOnlyItsExecution() {
        startExecutions(30, 1);
        open(false);
        journal.reads.clear();
        engine.completeCallback(callbackOf.get("o30"), "bob");
        assertThat(journal.reads).containsExactly("o30");
        register();
        assertThat(engine.<String>execution("o30").result(Duration.ofSeconds(5)))
                .isEqualTo("approved by bob");
        assertThat(journal.reads).containsOnly("o30");
    }

    @Test
    void afterARestartCompletingOneCallbackAmongManyReadsOnlyItsExecution() {
        startExecutions(10, 10);
        journal.reads.clear();
        open(true);
        idle();
        assertThat(journal.reads)
                .as("each waiting execution resumes once")
                .hasSize(10)
                .doesNotHaveDuplicates();
        journal.reads.clear();
        engine.completeCallback(callbackOf.get("o14"), "eve");
        assertThat(engine.<String>execution("o14").result(Duration.ofSeconds(5)))
                .isEqualTo("approved by eve");
        idle();
        assertThat(journal.reads).containsOnly("o14");
    }

    @Test
    void aDuplicateCompletionForAnExecutionThatEndedBeforeTheRestartIsStillRefusedAsCompleted() {
        startExecutions(3, 0);
        open(true);
        assertThatThrownBy(() -> engine.completeCallback(callbackOf.get("o1"), "late"))
                .isInstanceOf(CallbackAlreadyCompletedException.class)
                .hasMessageContaining("was already completed")
                .hasMessageContaining("changed nothing");
        assertThat(engine.<String>execution("o1").result(Duration.ofSeconds(5))).isEqualTo("approved by ann");
    }

    @Test
    void anUnknownIdReadsEachExecutionAtMostOnceWhateverHowOftenItIsTried() {
        startExecutions(5, 2);
        open(true);
        idle();
        journal.reads.clear();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> engine.completeCallback("0123456789abcdef0123456789abcdef", "x"))
                    .isInstanceOf(UnknownCallbackException.class);
        }
        assertThat(journal.reads)
                .as("only the executions that ended, the others were read when they resumed")
                .containsExactlyInAnyOrder("o0", "o1", "o2", "o3", "o4");
    }

    @Test
    void forgottenExecutionsTakeTheirCallbacksOutOfTheIndex() {
        startExecutions(2, 1);
        open(true);
        idle(); // o2 resumed, so its history was read before the count starts
        assertThatThrownBy(() -> engine.completeCallback(callbackOf.get("o0"), "again"))
                .isInstanceOf(CallbackAlreadyCompletedException.class);
        assertThat(engine.forgetFinished(clock.now().plusSeconds(1))).isEqualTo(2);
        journal.reads.clear();
        assertThatThrownBy(() -> engine.completeCallback(callbackOf.get("o0"), "again"))
                .isInstanceOf(UnknownCallbackException.class);
        assertThatThrownBy(() -> engine.completeCallback(callbackOf.get("o1"), "again"))
                .isInstanceOf(UnknownCallbackException.class);
        assertThat(journal.reads).isEmpty();
    }
}
