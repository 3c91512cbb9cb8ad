package dev.durable.internal;

import dev.durable.ErrorInfo;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionStatus;
import dev.durable.InvokeConfig;
import dev.durable.InvokeFailedException;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.SuspendReason;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * {@code invoke}: starts a child execution (named {@code <execution>/<id>}, so a replay finds the same one),
 * journaled STARTED, and suspends until the child ends; its result or failure is then journaled as this operation's.
 */
final class InvokeOp {
    private InvokeOp() {}

    @SuppressWarnings("unchecked")
    static <T> T run(ContextImpl ctx, String name, String functionName, Object input, Type type, InvokeConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(functionName, "functionName must not be null");
        InvokeConfig cfg = config == null ? InvokeConfig.defaults() : config;
        SerDes serdes = ctx.codec().or(cfg.resultSerDes());
        Op op = ctx.cursor.next(OpType.INVOKE, name);
        if (op.was(OpStatus.SUCCEEDED)) {
            return (T) serdes.deserialize(op.journaled.result, type);
        }
        if (op.was(OpStatus.FAILED)) {
            throw new InvokeFailedException(
                    "invoked function '" + functionName + "' (" + op.where() + ") failed: "
                            + op.journaled.error.summary(),
                    op.journaled.error);
        }
        Invocation inv = ctx.inv;
        String child = inv.executionName() + "/" + op.id;
        if (op.journaled == null) {
            op.record(op.event(OpStatus.STARTED).child(child));
        }
        EngineParts parts = inv.parts;
        ExecutionEntry childEntry = parts.executions()
                .start(
                        parts.functions().require(functionName),
                        child,
                        input,
                        cfg.payloadSerDes(),
                        inv.entry.name,
                        op.id);
        ExecutionEntry.Outcome outcome = childEntry.outcome();
        if (outcome == null) {
            throw new SuspendExecution(null, SuspendReason.INVOKE);
        }
        if (outcome.status() == ExecutionStatus.SUCCEEDED) {
            T value;
            try {
                value = (T) serdes.deserialize(outcome.result(), type);
            } catch (RuntimeException e) {
                ErrorInfo error = ErrorInfo.of(e);
                op.record(op.event(OpStatus.FAILED).child(child).error(error));
                throw new InvokeFailedException(
                        "the result of invoked function '" + functionName + "' (" + op.where()
                                + ") does not convert to " + type.getTypeName() + ": " + e.getMessage(),
                        error);
            }
            op.record(op.event(OpStatus.SUCCEEDED).child(child).result(outcome.result()));
            return value;
        }
        ErrorInfo error = outcome.error() != null
                ? outcome.error()
                : ErrorInfo.of(ExecutionCancelledException.class.getName(), "execution '" + child + "' was cancelled");
        op.record(op.event(OpStatus.FAILED).child(child).error(error));
        throw new InvokeFailedException(
                "invoked function '" + functionName + "' (" + op.where() + ") "
                        + (outcome.status() == ExecutionStatus.CANCELLED
                                ? "was cancelled"
                                : "failed: " + error.summary()),
                error);
    }
}
