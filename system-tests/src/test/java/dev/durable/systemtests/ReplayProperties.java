package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableContext;
import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.OperationInfo;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.annotations.StepSemantics;
import dev.durable.internal.DurableEngine;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Replay: a random program of steps (some failing a few attempts first, some at-most-once), waits and nested child
 * contexts runs to its end once; then a new engine resumes it from a random prefix of that journal, as after a crash
 * at that point, and must return the same result. The bodies the resumed run executes are held against the prefix:
 * no step whose outcome was journaled runs again, and no attempt whose failure or start was journaled runs again.
 */
class ReplayProperties {
    private static final String EXECUTION = "program-run";
    private static final Duration IDLE = Duration.ofSeconds(20);

    /** One operation of a generated program. */
    sealed interface Op permits Step, Pause, Child {}

    /** A step returning {@code value} after {@code failures} failed attempts. */
    record Step(String value, int failures, boolean atMostOnce) implements Op {}

    /** A durable wait. */
    record Pause(int minutes) implements Op {}

    /** A child context running {@code ops}. */
    record Child(List<Op> ops) implements Op {}

    @Provide
    Arbitrary<List<Op>> programs() {
        return ops(2).list().ofMinSize(1).ofMaxSize(7);
    }

    private Arbitrary<Op> ops(int depth) {
        Arbitrary<Op> step = Combinators.combine(
                        Arbitraries.strings().alpha().ofLength(2),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, true))
                .as(Step::new);
        Arbitrary<Op> pause = Arbitraries.integers().between(1, 90).map(Pause::new);
        if (depth == 0) {
            return Arbitraries.frequencyOf(Tuple.of(3, step), Tuple.of(1, pause));
        }
        Arbitrary<Op> child = ops(depth - 1).list().ofMaxSize(4).map(Child::new);
        return Arbitraries.frequencyOf(Tuple.of(4, step), Tuple.of(1, pause), Tuple.of(1, child));
    }

    @Property(tries = 150)
    void resumingFromAnyPrefixOfTheJournalReturnsTheSameResult(
            @ForAll("programs") List<Op> program, @ForAll @IntRange(min = 0, max = 100_000) int crashPoint) {
        MemoryJournal uninterrupted = new MemoryJournal();
        List<String> runs = new CopyOnWriteArrayList<>();
        String expected = runToEnd(uninterrupted, program, runs);
        assertThat(expected).isEqualTo(evaluate(program));
        assertThat(runs).as("uninterrupted, each attempt runs once").doesNotHaveDuplicates();

        List<JournalRecord> records = uninterrupted.all();
        List<JournalRecord> prefix = records.subList(0, crashPoint % (records.size() + 1));
        MemoryJournal crashed = new MemoryJournal();
        prefix.forEach(crashed::append);
        List<String> resumedRuns = new CopyOnWriteArrayList<>();

        assertThat(runToEnd(crashed, program, resumedRuns)).isEqualTo(expected);
        assertOnlyUnacknowledgedAttemptsRan(prefix, resumedRuns);
    }

    @Property(tries = 25)
    void resumingFromAFileJournalCutAtAnyRecordBoundaryReturnsTheSameResult(
            @ForAll("programs") List<Op> program, @ForAll @IntRange(min = 0, max = 100_000) int crashPoint)
            throws IOException {
        try (JournalFiles.TempDir dir = JournalFiles.tempDir()) {
            Path full = dir.path().resolve("full");
            String expected;
            try (FileJournal journal = FileJournal.open(full)) {
                expected = runToEnd(journal, program, new CopyOnWriteArrayList<>());
            }
            Path cut = JournalFiles.copyWithoutSnapshot(full, dir.path().resolve("cut"));
            Path segment = JournalFiles.segments(cut).get(0);
            byte[] bytes = Files.readAllBytes(segment);
            List<Integer> boundaries = JournalFiles.boundaries(bytes);
            Files.write(segment, Arrays.copyOf(bytes, boundaries.get(crashPoint % boundaries.size())));

            try (FileJournal journal = FileJournal.open(cut)) {
                List<JournalRecord> prefix = journal.read(EXECUTION);
                List<String> resumedRuns = new CopyOnWriteArrayList<>();
                assertThat(runToEnd(journal, program, resumedRuns)).isEqualTo(expected);
                assertOnlyUnacknowledgedAttemptsRan(prefix, resumedRuns);
            }
            assertThat(JournalFiles.tornCopies(cut))
                    .as("a cut at a record boundary tears nothing")
                    .isEmpty();
        }
    }

    /**
     * Runs {@code program} on an engine over {@code journal}, starting it unless the journal already has it, and
     * moves a manual clock from timer to timer until it ends.
     */
    private static String runToEnd(Journal journal, List<Op> program, List<String> runs) {
        ManualClock clock = new ManualClock();
        try (DurableEngine engine = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .closeJournal(false)
                .threads(2)
                .build()) {
            engine.register("program", String.class, String.class, (in, ctx) -> run(ctx, program, runs));
            Execution<String> execution = engine.start("program", EXECUTION, "input");
            for (int moves = 0; moves < 10_000; moves++) {
                assertThat(engine.awaitIdle(IDLE)).as("the engine settles").isTrue();
                if (execution.future().isDone()) {
                    return execution.result(Duration.ZERO);
                }
                Instant next = clock.nextTimer();
                assertThat(next).as("an unfinished execution waits for a timer").isNotNull();
                clock.advanceTo(next);
            }
            throw new AssertionError("the program did not end after 10000 timers");
        }
    }

    private static String run(DurableContext ctx, List<Op> ops, List<String> runs) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Op op : ops) {
            String name = "op" + ++n;
            if (op instanceof Step step) {
                out.append(ctx.step(
                        name,
                        String.class,
                        s -> {
                            runs.add(s.operationId() + "#" + s.attempt());
                            if (s.attempt() <= step.failures()) {
                                throw new IllegalStateException("planned failure of attempt " + s.attempt());
                            }
                            return step.value();
                        },
                        config(step)));
            } else if (op instanceof Pause pause) {
                ctx.wait(name, Duration.ofMinutes(pause.minutes()));
            } else if (op instanceof Child child) {
                out.append('(')
                        .append(ctx.runInChildContext(name, String.class, c -> run(c, child.ops(), runs)))
                        .append(')');
            }
        }
        return out.toString();
    }

    /** Enough attempts for the planned failures and an attempt interrupted by the crash. */
    private static StepConfig config(Step step) {
        return StepConfig.builder()
                .semantics(
                        step.atMostOnce()
                                ? StepSemantics.AT_MOST_ONCE_PER_RETRY
                                : StepSemantics.AT_LEAST_ONCE_PER_RETRY)
                .retry(RetryPolicy.builder()
                        .maxAttempts(step.failures() + 2)
                        .initialDelay(Duration.ofSeconds(30))
                        .backoff(1.0)
                        .build())
                .build();
    }

    /** What the program returns, computed without an engine. */
    private static String evaluate(List<Op> ops) {
        StringBuilder out = new StringBuilder();
        for (Op op : ops) {
            if (op instanceof Step step) {
                out.append(step.value());
            } else if (op instanceof Child child) {
                out.append('(').append(evaluate(child.ops())).append(')');
            }
        }
        return out.toString();
    }

    /**
     * A step that succeeded or failed in {@code prefix} does not run again; one whose latest attempt was journaled
     * as failed (retry) or, at-most-once, as started, runs only later attempts.
     */
    private static void assertOnlyUnacknowledgedAttemptsRan(List<JournalRecord> prefix, List<String> resumedRuns) {
        assertThat(resumedRuns).as("resumed, each attempt runs once").doesNotHaveDuplicates();
        if (prefix.isEmpty()) {
            return;
        }
        for (OperationInfo op : JournalHistory.details(EXECUTION, prefix).operations()) {
            if (!op.type().equals("STEP")) {
                continue;
            }
            List<Integer> attempts = resumedRuns.stream()
                    .filter(r -> r.startsWith(op.id() + "#"))
                    .map(r -> Integer.parseInt(r.substring(op.id().length() + 1)))
                    .toList();
            if (op.isDone()) {
                assertThat(attempts)
                        .as("step %s was %s before the crash", op.id(), op.status())
                        .isEmpty();
            } else {
                assertThat(attempts)
                        .as("step %s had attempt %d %s before the crash", op.id(), op.attempt(), op.status())
                        .allMatch(a -> a > op.attempt());
            }
        }
    }
}
