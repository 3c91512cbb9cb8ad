package dev.durable.internal;

import dev.durable.DurableException;
import dev.durable.ErrorInfo;
import dev.durable.Names;
import dev.durable.RetryDecision;
import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.StepContext;
import dev.durable.StepFailedException;
import dev.durable.StepFunction;
import dev.durable.StepInterruptedException;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.SuspendReason;
import dev.durable.spi.weaving.DurableMethod;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;

/**
 * A step: its journaled outcome replayed, or one attempt run and its outcome journaled. At-least-once (the
 * default) journals after the body; at-most-once journals STARTED before it, and a STARTED found without an outcome
 * is an interrupted attempt, handed to the retry strategy. A retried attempt is a RETRY with a durable delay.
 * Also what the body sees ({@link StepContext}).
 */
final class StepOp implements StepContext {
    final ContextImpl ctx;
    final Op op;
    final Type type;
    final StepConfig config;
    final SerDes serdes;
    final int attempt;
    /** Whether the outcome is the journaled one: then the body does not run. */
    final boolean replayed;

    private final Object replayedValue;
    private final Throwable replayedFailure;
    /** What plugins were told when this attempt's body began; {@code null} without plugins. */
    private AttemptStart attemptStart;

    private StepOp(
            ContextImpl ctx,
            Op op,
            Type type,
            StepConfig config,
            SerDes serdes,
            int attempt,
            boolean replayed,
            Object replayedValue,
            Throwable replayedFailure) {
        this.ctx = ctx;
        this.op = op;
        this.type = type;
        this.config = config;
        this.serdes = serdes;
        this.attempt = attempt;
        this.replayed = replayed;
        this.replayedValue = replayedValue;
        this.replayedFailure = replayedFailure;
    }

    /** What a poll of {@code waitForCondition} sees: an attempt of operation {@code op}, never replayed. */
    static StepOp poll(ContextImpl ctx, Op op, Type type, SerDes serdes, int poll) {
        return new StepOp(ctx, op, type, StepConfig.defaults(), serdes, poll, false, null, null);
    }

    @SuppressWarnings("unchecked")
    static <T> T step(ContextImpl ctx, String name, Type type, StepFunction<T> fn, StepConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        StepOp step = begin(ctx, name, type, config);
        if (step.replayed) {
            return (T) step.replayed(true);
        }
        return (T) step.run(() -> fn.apply(step), null, true);
    }

    /** Begins a step: its journaled outcome if any, else a new attempt (journaled first when at-most-once). */
    static StepOp begin(ContextImpl ctx, String name, Type type, StepConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        Op op = ctx.cursor.next(OpType.STEP, name);
        SerDes serdes = ctx.codec().or(config.serdes());
        boolean atMostOnce = DurableMethod.atMostOnce(config);
        int attempt = 1;
        OpState journaled = op.journaled;
        if (journaled != null) {
            switch (journaled.status) {
                case SUCCEEDED:
                    return new StepOp(
                            ctx,
                            op,
                            type,
                            config,
                            serdes,
                            journaled.attempt,
                            true,
                            JournaledStepResult.read(op, journaled, type, config, serdes),
                            null);
                case FAILED:
                    return new StepOp(
                            ctx,
                            op,
                            type,
                            config,
                            serdes,
                            journaled.attempt,
                            true,
                            null,
                            journaled.error.rebuild(ctx.inv.classLoader()));
                case RETRY:
                    if (ctx.inv.now().isBefore(journaled.until)) {
                        throw new SuspendExecution(journaled.until, SuspendReason.RETRY);
                    }
                    attempt = journaled.attempt + 1;
                    break;
                case STARTED:
                    if (atMostOnce) {
                        StepInterruptedException interrupted = new StepInterruptedException("attempt "
                                + journaled.attempt + " of at-most-once step " + op.where() + " started but the"
                                + " process stopped before its outcome was journaled; it is not run again for that"
                                + " attempt");
                        StepOp failed = new StepOp(ctx, op, type, config, serdes, journaled.attempt, false, null, null);
                        throw ContextImpl.sneaky(failed.fail(interrupted));
                    }
                    attempt = journaled.attempt;
                    break;
                default:
                    throw new IllegalStateException("unexpected state " + journaled.status + " of " + op.where());
            }
        }
        if (atMostOnce) {
            op.record(op.event(OpStatus.STARTED).attempt(attempt));
        }
        return new StepOp(ctx, op, type, config, serdes, attempt, false, null, null);
    }

    /** The journaled outcome of a replayed step: its value, or its failure thrown. */
    Object replayed(boolean wrapChecked) {
        if (replayedFailure != null) {
            throw ContextImpl.sneaky(wrapChecked ? wrapChecked(replayedFailure) : replayedFailure);
        }
        return replayedValue;
    }

    interface Body {
        Object run() throws Throwable;
    }

    /** Tells plugins the body of this attempt is about to run on this thread. */
    void attemptStarting() {
        if (ctx.inv.observed) {
            attemptStart = ctx.inv.plugins.attemptStarting(op, attempt, false);
        }
    }

    private void attemptEnded(AttemptOutcome outcome, Throwable error) {
        if (attemptStart != null) {
            ctx.inv.plugins.attemptEnded(ctx.inv, attemptStart, outcome, error);
            attemptStart = null;
        }
    }

    /** Runs a step body on this thread in step mode, then journals its outcome. */
    Object run(Body body, String callbackId, boolean wrapChecked) {
        Object value;
        attemptStarting();
        ExecutionThread.enterStep(callbackId);
        try {
            value = body.run();
        } catch (Throwable t) {
            ExecutionThread.exitStep();
            Throwable thrown = fail(t);
            throw ContextImpl.sneaky(wrapChecked ? wrapChecked(thrown) : thrown);
        }
        ExecutionThread.exitStep();
        return succeed(value);
    }

    /** Journals a successful attempt; a result that cannot be stored fails the step for good. */
    Object succeed(Object value) {
        String json;
        Object checkpointed;
        try {
            String what = "the result of step " + op.where();
            json = ctx.codec().serialize(value, type, serdes, what);
            checkpointed = PayloadCodec.checkpointed(value, json, type, serdes, what);
        } catch (DurableException e) {
            attemptEnded(AttemptOutcome.FAILED, e);
            op.record(op.event(OpStatus.FAILED).attempt(attempt).error(ErrorInfo.of(e)));
            throw e;
        }
        attemptEnded(AttemptOutcome.SUCCEEDED, null);
        op.record(op.event(OpStatus.SUCCEEDED).attempt(attempt).result(json).resultVersion(config.resultVersion()));
        return checkpointed;
    }

    /**
     * Journals a failed attempt. Returns the failure to throw when the step has failed for good; throws the
     * suspension when the retry strategy wants another attempt (the delay is a durable wait).
     */
    Throwable fail(Throwable failure) {
        if (failure instanceof SuspendExecution || failure instanceof ExecutionHalted) {
            throw (Error) failure;
        }
        ErrorInfo info = ErrorInfo.of(failure);
        SplittableRandom jitter = new SplittableRandom(ctx.seed(op.id) * 31 + attempt);
        RetryDecision decision = config.retry().decide(failure, attempt, jitter);
        Instant now = ctx.inv.now();
        if (decision != null && decision.retry()) {
            Instant at = now.plus(decision.delay());
            attemptEnded(AttemptOutcome.RETRYING, failure);
            op.record(op.event(OpStatus.RETRY, now).attempt(attempt).error(info).until(at));
            throw new SuspendExecution(at, SuspendReason.RETRY);
        }
        attemptEnded(AttemptOutcome.FAILED, failure);
        op.record(op.event(OpStatus.FAILED, now).attempt(attempt).error(info));
        return failure;
    }

    /** A checked exception wrapped so a step function's caller need not declare it. */
    Throwable wrapChecked(Throwable t) {
        if (t instanceof RuntimeException || t instanceof Error) {
            return t;
        }
        return new StepFailedException("step '" + op.name + "' failed: " + t, ErrorInfo.of(t), t);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String executionName() {
        return ctx.executionName();
    }

    @Override
    public String operationId() {
        return op.id;
    }

    @Override
    public Logger logger() {
        return ctx.stepLogger(op.id);
    }
}
