package dev.durable.internal;

import dev.durable.ChildContextConfig;
import dev.durable.ContextFunction;
import dev.durable.ErrorInfo;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A child context: a function with operations of its own (ids {@code <id>/1}, ...), its result journaled as one
 * CONTEXT operation. A result over the payload limit is not journaled: a replay rebuilds it by running the function
 * again, its operations replayed.
 */
final class ChildContextOp {
    private ChildContextOp() {}

    @SuppressWarnings("unchecked")
    static <T> T run(ContextImpl ctx, String name, Type type, ContextFunction<T> fn, ChildContextConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        SerDes serdes = ctx.codec().or(config == null ? null : config.serdes());
        Op op = ctx.cursor.next(OpType.CONTEXT, name);
        if (op.was(OpStatus.SUCCEEDED) && !op.journaled.replayChildren) {
            return (T) serdes.deserialize(op.journaled.result, type);
        }
        if (op.was(OpStatus.FAILED)) {
            throw ContextImpl.sneaky(op.journaled.error.rebuild(ctx.inv.classLoader()));
        }
        ContextImpl child = ctx.child(op.id);
        T value;
        Plugins plugins = ctx.inv.plugins;
        AttemptStart body = ctx.inv.observed ? plugins.bodyStarting(op) : null;
        ContextImpl previous = ExecutionThread.enter(child);
        try {
            value = fn.apply(child);
        } catch (SuspendExecution e) {
            plugins.attemptEnded(ctx.inv, body, AttemptOutcome.SUSPENDED, null);
            throw e;
        } catch (ExecutionHalted e) {
            throw e;
        } catch (Throwable t) {
            plugins.attemptEnded(ctx.inv, body, AttemptOutcome.FAILED, t);
            op.record(op.event(OpStatus.FAILED).error(ErrorInfo.of(t)));
            throw ContextImpl.sneaky(t);
        } finally {
            ExecutionThread.enter(previous);
        }
        plugins.attemptEnded(ctx.inv, body, AttemptOutcome.SUCCEEDED, null);
        if (op.was(OpStatus.SUCCEEDED)) {
            return value; // rebuilt by replaying the children of a result too large to journal
        }
        String what = "the result of child context " + op.where();
        String json = serdes.serialize(value, type);
        Object checkpointed = PayloadCodec.checkpointed(value, json, type, serdes, what);
        OpEvent done = op.event(OpStatus.SUCCEEDED);
        op.record(ctx.codec().fits(json) ? done.result(json) : done.rebuiltOnReplay());
        return (T) checkpointed;
    }
}
