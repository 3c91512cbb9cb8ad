package dev.durable.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.Execution;
import dev.durable.ExecutionFailedException;
import dev.durable.ManualClock;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import dev.durable.runtime.local.journal.FileJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a dashboard reads: executions, invocations, step attempts, suspensions and callbacks, by function. */
class DurableMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private LocalRuntime runtime;

    @BeforeEach
    void open() {
        runtime = LocalRuntime.builder()
                .durability(Durability.MEMORY)
                .clock(clock)
                .threads(4)
                .plugin(new DurableMetrics(registry))
                .open();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private void settle() {
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void executionsAreCountedWhenTheyStartAndByHowTheyEnd() {
        runtime.<String, String>register("ok", String.class, String.class, (in, ctx) -> in);
        runtime.<String, String>register("bad", String.class, String.class, (in, ctx) -> {
            throw new IllegalStateException("no");
        });
        runtime.<String, String>register("slow", String.class, String.class, (in, ctx) -> {
            ctx.wait("w", Duration.ofHours(1));
            return in;
        });
        runtime.start("ok", "a", "x").result(Duration.ofSeconds(5));
        Execution<String> bad = runtime.start("bad", "b", "x");
        assertThatThrownBy(() -> bad.result(Duration.ofSeconds(5))).isInstanceOf(ExecutionFailedException.class);
        runtime.start("slow", "c", "x");
        settle();
        runtime.cancel("c");
        settle();
        assertThat(count("durable.executions.started", "function", "ok")).isEqualTo(1);
        assertThat(count("durable.executions.finished", "function", "ok", "status", "succeeded"))
                .isEqualTo(1);
        assertThat(count("durable.executions.finished", "function", "bad", "status", "failed"))
                .isEqualTo(1);
        assertThat(count("durable.executions.finished", "function", "slow", "status", "cancelled"))
                .isEqualTo(1);
        assertThat(count("durable.executions.suspended", "function", "slow", "reason", "wait"))
                .isEqualTo(1);
        assertThat(registry.find("durable.invocation.duration")
                        .tags("function", "ok", "status", "succeeded")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void stepAttemptsAndFailuresAreCountedByStepAndTimed() {
        AtomicInteger runs = new AtomicInteger();
        runtime.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("flaky", String.class, s -> {
                if (runs.incrementAndGet() < 2) {
                    throw new IllegalStateException("down");
                }
                return "ok";
            });
            try {
                ctx.step(
                        "doomed",
                        String.class,
                        s -> {
                            throw new IllegalStateException("no");
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build());
            } catch (IllegalStateException e) {
                return a;
            }
            return a;
        });
        Execution<String> ex = runtime.start("fn", "x", "in");
        settle();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("ok");
        assertThat(count("durable.step.attempts", "function", "fn", "step", "flaky", "outcome", "retrying"))
                .isEqualTo(1);
        assertThat(count("durable.step.attempts", "function", "fn", "step", "flaky", "outcome", "succeeded"))
                .isEqualTo(1);
        assertThat(count("durable.step.failures", "function", "fn", "step", "flaky"))
                .isZero();
        assertThat(count("durable.step.failures", "function", "fn", "step", "doomed"))
                .isEqualTo(1);
        assertThat(count("durable.executions.suspended", "function", "fn", "reason", "retry"))
                .isEqualTo(1);
        assertThat(registry.find("durable.step.duration").tags("step", "flaky").timers())
                .hasSize(2);
    }

    @Test
    void callbackCompletionsAreCountedByOutcome() {
        AtomicReference<String> id = new AtomicReference<>();
        runtime.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String first =
                    ctx.waitForCallback("answer", String.class, (cb, s) -> id.set(cb), CallbackConfig.defaults());
            try {
                return ctx.waitForCallback(
                        "late", String.class, (cb, s) -> {}, CallbackConfig.timeout(Duration.ofMinutes(1)));
            } catch (CallbackTimeoutException e) {
                return first;
            }
        });
        Execution<String> ex = runtime.start("fn", "x", "in");
        settle();
        runtime.completeCallback(id.get(), "yes");
        settle();
        clock.advance(Duration.ofMinutes(1));
        assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("yes");
        assertThat(count("durable.callbacks.completed", "function", "fn", "outcome", "succeeded"))
                .isEqualTo(1);
        assertThat(count("durable.callbacks.completed", "function", "fn", "outcome", "timed_out"))
                .isEqualTo(1);
        assertThat(count("durable.executions.suspended", "function", "fn", "reason", "callback"))
                .isEqualTo(2);
    }

    @Test
    void aSyncJournalReportsEachGroupCommitWithItsRecordsAndTime(@TempDir Path dir) {
        SimpleMeterRegistry commits = new SimpleMeterRegistry();
        int executions = 20;
        try (LocalRuntime files = LocalRuntime.builder()
                .directory(dir)
                .durability(Durability.SYNC)
                .plugin(new DurableMetrics(commits))
                .open()) {
            files.<Integer, Integer>register("steps", Integer.class, Integer.class, (n, ctx) -> {
                int sum = 0;
                for (int i = 0; i < n; i++) {
                    int v = i;
                    sum += ctx.step("s", Integer.class, s -> v);
                }
                return sum;
            });
            for (int k = 0; k < executions; k++) {
                files.start("steps", "e" + k, 5);
            }
            assertThat(files.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        long records = 0;
        try (FileJournal journal = FileJournal.open(dir)) {
            for (int k = 0; k < executions; k++) {
                records += journal.read("e" + k).size();
            }
        }
        {
            var groups = commits.find("durable.journal.commit.records").summary();
            var time = commits.find("durable.journal.commit").timer();
            // every record of every execution was made durable by some commit, each counted once
            assertThat(groups.totalAmount()).isEqualTo((double) records);
            assertThat(time.count()).isEqualTo(groups.count()).isPositive();
            assertThat(groups.max()).isGreaterThanOrEqualTo(1);
            assertThat(time.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                    .isPositive();
        }
    }

    @Test
    void aJournalInMemoryCommitsNothingToReport() {
        runtime.<String, String>register(
                "ok", String.class, String.class, (in, ctx) -> ctx.step("s", String.class, s -> in));
        runtime.start("ok", "a", "x");
        settle();
        assertThat(registry.find("durable.journal.commit").timer().count()).isZero();
    }
}
