package dev.durable.micrometer;

import dev.durable.CallbackTimeoutException;
import dev.durable.spi.plugin.AttemptEnd;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.ExecutionEnd;
import dev.durable.spi.plugin.ExecutionRef;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.InvocationStatus;
import dev.durable.spi.plugin.JournalCommit;
import dev.durable.spi.plugin.OperationEnd;
import dev.durable.spi.plugin.OperationKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts and times executions in a Micrometer registry. Every meter is tagged with {@code function}:
 * <ul>
 *   <li>{@code durable.executions.started}; {@code durable.executions.finished} with {@code status} succeeded, failed
 *       or cancelled</li>
 *   <li>{@code durable.step.attempts} with {@code step} and {@code outcome} (succeeded, failed, retrying);
 *       {@code durable.step.failures} with {@code step}: steps that failed for good</li>
 *   <li>{@code durable.step.duration} (timer, per attempt) with {@code step} and {@code outcome}</li>
 *   <li>{@code durable.invocation.duration} (timer) with {@code status} pending, succeeded or failed</li>
 *   <li>{@code durable.executions.suspended} with {@code reason} wait, retry, condition, callback or invoke</li>
 *   <li>{@code durable.callbacks.completed} with {@code outcome} succeeded, failed or timed_out</li>
 * </ul>
 *
 * <p>and, untagged, as the journal is shared by every function:
 * <ul>
 *   <li>{@code durable.journal.commit} (timer): how long each group commit's write and force (or transaction) took</li>
 *   <li>{@code durable.journal.commit.records} (distribution summary): how many records each commit made durable
 *       together, the group size</li>
 * </ul>
 *
 * <pre>{@code
 * LocalRuntime runtime = LocalRuntime.builder().directory(dir).plugin(new DurableMetrics(registry)).open();
 * }</pre>
 */
public final class DurableMetrics implements DurablePlugin {
    private final MeterRegistry registry;
    private final Timer commits;
    private final DistributionSummary groupSizes;

    public DurableMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.commits = Timer.builder("durable.journal.commit")
                .description("how long the journal took to make a group of records durable")
                .register(registry);
        this.groupSizes = DistributionSummary.builder("durable.journal.commit.records")
                .description("records the journal made durable together, per commit")
                .baseUnit("records")
                .register(registry);
    }

    @Override
    public void onJournalCommit(JournalCommit commit) {
        commits.record(commit.duration());
        groupSizes.record(commit.records());
    }

    @Override
    public void onExecutionStart(ExecutionRef execution) {
        Counter.builder("durable.executions.started")
                .description("executions started")
                .tag("function", execution.function())
                .register(registry)
                .increment();
    }

    @Override
    public void onExecutionEnd(ExecutionEnd end) {
        Counter.builder("durable.executions.finished")
                .description("executions that ended, by how")
                .tag("function", end.execution().function())
                .tag("status", lower(end.status().name()))
                .register(registry)
                .increment();
    }

    @Override
    public void onInvocationEnd(InvocationEnd end) {
        String function = end.start().execution().function();
        Timer.builder("durable.invocation.duration")
                .description("one run of a handler between suspensions")
                .tag("function", function)
                .tag("status", lower(end.status().name()))
                .register(registry)
                .record(Duration.between(end.start().startedAt(), end.endedAt()));
        if (end.status() == InvocationStatus.PENDING && end.suspendedOn() != null) {
            Counter.builder("durable.executions.suspended")
                    .description("runs that suspended, by what they wait for")
                    .tag("function", function)
                    .tag("reason", lower(end.suspendedOn().name()))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onAttemptEnd(AttemptEnd end) {
        AttemptStart s = end.start();
        if (s.subKind() != OperationKind.STEP) {
            return;
        }
        String outcome = lower(end.outcome().name());
        String function = s.execution().function();
        Counter.builder("durable.step.attempts")
                .description("step attempts, by outcome")
                .tag("function", function)
                .tag("step", s.name())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("durable.step.duration")
                .description("how long one step attempt ran")
                .tag("function", function)
                .tag("step", s.name())
                .tag("outcome", outcome)
                .register(registry)
                .record(Duration.between(s.startedAt(), end.endedAt()));
        if (end.outcome() == AttemptOutcome.FAILED) {
            Counter.builder("durable.step.failures")
                    .description("steps that failed for good")
                    .tag("function", function)
                    .tag("step", s.name())
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onOperationEnd(OperationEnd end) {
        if (end.subKind() != OperationKind.CALLBACK && end.subKind() != OperationKind.WAIT_FOR_CALLBACK) {
            return;
        }
        String outcome = end.succeeded()
                ? "succeeded"
                : end.error() != null
                                && CallbackTimeoutException.class
                                        .getName()
                                        .equals(end.error().type())
                        ? "timed_out"
                        : "failed";
        Counter.builder("durable.callbacks.completed")
                .description("callbacks that got their outcome")
                .tag("function", end.execution().function())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
