package dev.durable.internal;

import dev.durable.ConditionCheck;
import dev.durable.ErrorInfo;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.WaitDecision;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitForConditionFailedException;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.SuspendReason;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code waitForCondition}: polls a check, journaling its state after each poll; RETRY with a durable delay until
 * the wait strategy says done (SUCCEEDED) or gives up (FAILED).
 */
final class ConditionOp {
    private ConditionOp() {}

    @SuppressWarnings("unchecked")
    static <T> T run(
            ContextImpl ctx, String name, Type type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(check, "check must not be null");
        Objects.requireNonNull(config, "config must not be null");
        Op op = ctx.cursor.next(OpType.WAIT_FOR_CONDITION, name);
        SerDes serdes = ctx.codec().or(config.serdes());
        T state;
        int polled;
        if (op.journaled == null) {
            state = config.initialState();
            polled = 0;
        } else if (op.was(OpStatus.SUCCEEDED)) {
            return (T) serdes.deserialize(op.journaled.result, type);
        } else if (op.was(OpStatus.FAILED)) {
            throw ContextImpl.sneaky(op.journaled.error.rebuild(ctx.inv.classLoader()));
        } else {
            if (ctx.inv.now().isBefore(op.journaled.until)) {
                throw new SuspendExecution(op.journaled.until, SuspendReason.CONDITION);
            }
            state = (T) serdes.deserialize(op.journaled.result, type);
            polled = op.journaled.attempt;
        }
        int poll = polled + 1;
        StepOp attempt = StepOp.poll(ctx, op, type, serdes, poll);
        Plugins plugins = ctx.inv.plugins;
        AttemptStart polling = ctx.inv.observed ? plugins.attemptStarting(op, poll, false) : null;
        T next;
        ExecutionThread.enterStep(null);
        try {
            next = check.check(state, attempt);
        } catch (Throwable t) {
            ExecutionThread.exitStep();
            plugins.attemptEnded(ctx.inv, polling, AttemptOutcome.FAILED, t);
            op.record(op.event(OpStatus.FAILED).attempt(poll).error(ErrorInfo.of(t)));
            throw ContextImpl.sneaky(attempt.wrapChecked(t));
        }
        ExecutionThread.exitStep();
        WaitDecision decision = config.waitStrategy().decide(next, poll);
        Instant now = ctx.inv.now();
        String what = "the state of waitForCondition " + op.where();
        String json = ctx.codec().serialize(next, type, serdes, what);
        Object checkpointed = PayloadCodec.checkpointed(next, json, type, serdes, what);
        if (decision.done()) {
            plugins.attemptEnded(ctx.inv, polling, AttemptOutcome.SUCCEEDED, null);
            op.record(op.event(OpStatus.SUCCEEDED, now).attempt(poll).result(json));
            return (T) checkpointed;
        }
        if (decision.failure() != null) {
            WaitForConditionFailedException e = new WaitForConditionFailedException(
                    "waitForCondition " + op.where() + " gave up: " + decision.failure());
            plugins.attemptEnded(ctx.inv, polling, AttemptOutcome.FAILED, e);
            op.record(op.event(OpStatus.FAILED, now).attempt(poll).result(json).error(ErrorInfo.of(e)));
            throw e;
        }
        Instant at = now.plus(decision.delay());
        plugins.attemptEnded(ctx.inv, polling, AttemptOutcome.POLLING, null);
        op.record(op.event(OpStatus.RETRY, now).attempt(poll).result(json).until(at));
        throw new SuspendExecution(at, SuspendReason.CONDITION);
    }
}
