package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableClock;
import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.PayloadTooLargeException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.JournalCommit;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What an engine owns and gives back: its clock, its open state, the journal's commits, executions by JSON. */
class EngineResourcesTest {

    @Test
    void anExecutionStartedFromJsonRunsOnTheInputItReadsAndInputAboveThePayloadLimitStartsNothing() {
        try (EngineFixture f =
                new EngineFixture(e -> e.register("twice", Integer.class, Integer.class, (in, ctx) -> in * 2), 16)) {
            Execution<Integer> doubled = f.engine.startJson("twice", "d-1", "21");
            assertThat(doubled.result(Duration.ofSeconds(5))).isEqualTo(42);
            assertThatThrownBy(() -> f.engine.startJson("twice", "d-2", "1".repeat(17)))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("the input of execution 'd-2'");
            assertThat(f.engine.list()).extracting(i -> i.name()).containsExactly("d-1");
        }
    }

    @Test
    void anEngineIsOpenUntilItIsClosed() {
        DurableEngine engine = DurableEngine.builder()
                .journal(new MemoryJournal())
                .clock(new ManualClock())
                .build();
        assertThat(engine.isOpen()).isTrue();
        engine.close();
        assertThat(engine.isOpen()).isFalse();
    }

    @Test
    void closingStopsTheTimerThreadOfTheClockTheEngineMadeButNotAClockItWasGiven() throws Exception {
        Set<Thread> before = timerThreads();
        DurableEngine own = DurableEngine.builder().journal(new MemoryJournal()).build();
        own.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.wait("hour", Duration.ofHours(1));
            return in;
        });
        own.start("nap", "n-1", "x");
        assertThat(own.awaitIdle(Duration.ofSeconds(5))).isTrue();
        Set<Thread> made = timerThreads();
        made.removeAll(before);
        assertThat(made).as("the timer thread of the engine's own clock").hasSize(1);
        own.close();
        Thread timer = made.iterator().next();
        timer.join(10_000);
        assertThat(timer.isAlive()).isFalse();

        AtomicInteger shutdowns = new AtomicInteger();
        ManualClock manual = new ManualClock();
        DurableClock given = new DurableClock() {
            @Override
            public Instant now() {
                return manual.now();
            }

            @Override
            public Timer schedule(Instant at, Runnable task) {
                return manual.schedule(at, task);
            }

            @Override
            public void shutdown() {
                shutdowns.incrementAndGet();
            }
        };
        DurableEngine.builder()
                .journal(new MemoryJournal())
                .clock(given)
                .build()
                .close();
        assertThat(shutdowns).as("a clock the engine was given is its owner's").hasValue(0);
    }

    private static Set<Thread> timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("durable-timer") && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** A journal in memory that reports each append as a commit of its own, as a journal committing in groups would. */
    static final class CommittingJournal implements Journal {
        private final MemoryJournal records = new MemoryJournal();
        private volatile CommitObserver observer;

        @Override
        public void append(JournalRecord record) {
            records.append(record);
            CommitObserver o = observer;
            if (o != null) {
                o.committed(1, record.payloadText().length(), 1_000);
            }
        }

        @Override
        public void observeCommits(CommitObserver observer) {
            this.observer = observer;
        }

        @Override
        public Collection<String> executionIds() {
            return records.executionIds();
        }

        @Override
        public List<JournalRecord> read(String executionId) {
            return records.read(executionId);
        }

        @Override
        public void forget(Collection<String> executionIds) {
            records.forget(executionIds);
        }

        @Override
        public void close() {
            records.close();
        }
    }

    @Test
    void aPluginThatWatchesCommitsHearsEachOneTheJournalReports() {
        List<JournalCommit> commits = new CopyOnWriteArrayList<>();
        DurablePlugin watcher = new DurablePlugin() {
            @Override
            public void onJournalCommit(JournalCommit commit) {
                commits.add(commit);
            }
        };
        CommittingJournal journal = new CommittingJournal();
        try (DurableEngine e = DurableEngine.builder()
                .journal(journal)
                .clock(new ManualClock())
                .plugin(watcher)
                .build()) {
            e.register("echo", String.class, String.class, (in, ctx) -> ctx.step("s", String.class, s -> in));
            assertThat(e.<String>start("echo", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("in");
        }
        assertThat(commits).hasSize(journal.read("x").size());
        assertThat(commits).allSatisfy(c -> {
            assertThat(c.records()).isEqualTo(1);
            assertThat(c.duration()).isEqualTo(Duration.ofNanos(1_000));
        });
    }
}
