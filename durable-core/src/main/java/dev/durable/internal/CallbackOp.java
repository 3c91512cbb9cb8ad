package dev.durable.internal;

import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackSubmitter;
import dev.durable.ErrorInfo;
import dev.durable.JournalException;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.OperationKind;
import dev.durable.spi.plugin.SuspendReason;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A callback: journaled STARTED with an unguessable id and its deadlines, completed, failed or timed out from
 * outside ({@link Callbacks}); the waiting code suspends until then. {@code waitForCallback} is a callback plus a
 * {@code <name>.submit} step that hands the id to the outside world.
 */
final class CallbackOp {
    private static final SecureRandom CALLBACK_IDS = new SecureRandom();

    private CallbackOp() {}

    static <T> CallbackHandle<T> create(ContextImpl ctx, String name, Type type, CallbackConfig config) {
        return create(ctx, name, type, config, false);
    }

    /** Creates a callback; {@code awaited} when the code that creates it also waits for it (waitForCallback). */
    static <T> CallbackHandle<T> create(
            ContextImpl ctx, String name, Type type, CallbackConfig config, boolean awaited) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        CallbackConfig cfg = config == null ? CallbackConfig.defaults() : config;
        Op op = ctx.cursor.next(
                OpType.CALLBACK, name, awaited ? OperationKind.WAIT_FOR_CALLBACK : OperationKind.CALLBACK);
        Callbacks callbacks = ctx.inv.parts.callbacks();
        SerDes serdes = cfg.serdes();
        CallbackRef ref;
        if (op.journaled == null) {
            Instant now = ctx.inv.now();
            String callbackId = newCallbackId();
            Instant timeoutAt = cfg.timeout() == null ? null : now.plus(cfg.timeout());
            ref = new CallbackRef(
                    callbackId,
                    ctx.executionName(),
                    op.id,
                    name,
                    now,
                    timeoutAt,
                    cfg.heartbeatTimeout(),
                    type.getTypeName());
            ref.type = type;
            ref.serdes = serdes;
            op.record(op.event(OpStatus.STARTED, now)
                    .until(timeoutAt)
                    .callback(callbackId, cfg.heartbeatTimeout(), type.getTypeName()));
            callbacks.created(ref);
        } else {
            // first met since the runtime opened: index it as the journal left it (an index already built wins)
            ref = callbacks.replayed(ctx.executionName(), op.journaled);
            synchronized (ref) {
                ref.type = type;
                ref.serdes = serdes;
            }
        }
        ref.awaited |= awaited;
        return new CallbackHandle<>(ctx, ref);
    }

    private static String newCallbackId() {
        byte[] bytes = new byte[16];
        CALLBACK_IDS.nextBytes(bytes);
        // hex: safe in URLs, shells and command lines (never starts with '-')
        return HexFormat.of().formatHex(bytes);
    }

    @SuppressWarnings("unchecked")
    static <T> T waitFor(ContextImpl ctx, String name, Type type, CallbackSubmitter submitter, CallbackConfig config) {
        Objects.requireNonNull(submitter, "submitter must not be null");
        CallbackConfig cfg = config == null ? CallbackConfig.defaults() : config;
        CallbackHandle<T> cb = create(ctx, name, type, cfg, true);
        StepOp submit = StepOp.begin(
                ctx,
                submitName(name),
                Void.class,
                StepConfig.builder().retry(cfg.submitterRetry()).build());
        if (submit.replayed) {
            submit.replayed(true);
        } else {
            submit.run(
                    () -> {
                        submitter.submit(cb.id(), submit);
                        return null;
                    },
                    cb.id(),
                    true);
        }
        return (T) await(ctx, cb.ref);
    }

    /** The name of the step that submits callback {@code name}. */
    static String submitName(String name) {
        return name == null ? null : name + ".submit";
    }

    /**
     * Whether journaled callback {@code op} was made by a waitForCallback: the operation journaled after it is its
     * submit step. (The callback's own record does not say; a callback read back before its execution runs again
     * needs it to be reported as the operation the user wrote.)
     */
    static boolean awaitedIn(History history, OpState op) {
        int slash = op.id.lastIndexOf('/');
        String number = op.id.substring(slash + 1);
        if (number.isEmpty() || !number.chars().allMatch(Character::isDigit)) {
            return false;
        }
        OpState next = history.op(op.id.substring(0, slash + 1) + (Integer.parseInt(number) + 1));
        return next != null && next.type == OpType.STEP && Objects.equals(submitName(op.name), next.name);
    }

    /**
     * Waits for {@code ref}: its payload, its failure, its timeout, or a suspension until one of them. A payload that
     * does not convert to the awaited type fails the callback catchably (an operator retry lets it be completed again).
     */
    static Object await(ContextImpl ctx, CallbackRef ref) {
        Invocation inv = ctx.inv;
        inv.checkActive();
        Callbacks callbacks = inv.parts.callbacks();
        try {
            callbacks.expireIfDue(ref, inv.entry, inv.now());
        } catch (JournalException e) {
            throw new ExecutionHalted("the journal could not acknowledge the timeout of " + ref.where(), e);
        }
        SerDes serdes = callbacks.payloadSerdes(ref);
        synchronized (ref) {
            switch (ref.status) {
                case SUCCEEDED:
                    try {
                        return serdes.deserialize(ref.result, ref.type);
                    } catch (RuntimeException e) {
                        throw unreadablePayload(inv, ref, e);
                    }
                case FAILED:
                    throw ref.failure();
                default:
                    throw new SuspendExecution(ref.deadline(), SuspendReason.CALLBACK);
            }
        }
    }

    private static RuntimeException unreadablePayload(Invocation inv, CallbackRef ref, RuntimeException e) {
        ErrorInfo info = ErrorInfo.of(
                CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE,
                "the payload of " + ref.where() + " does not convert to " + ref.type.getTypeName() + ": "
                        + e.getMessage());
        Op op = Op.at(inv, ref.operationId, OpType.CALLBACK, ref.name, ref.status);
        op.record(op.event(OpStatus.FAILED).result(ref.result).error(info));
        ref.status = OpStatus.FAILED;
        ref.error = info;
        ref.completedAt = inv.now();
        return new CallbackFailedException(
                info.message() + ". The payload is kept as the error data; after fixing"
                        + " the code or the sender, retry the execution and complete the callback again",
                info,
                ref.result);
    }
}
