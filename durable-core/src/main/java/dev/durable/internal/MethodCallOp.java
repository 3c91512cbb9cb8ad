package dev.durable.internal;

import dev.durable.Names;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import java.lang.invoke.MethodType;
import java.lang.reflect.Type;

/**
 * A call of an annotated method, as generated proxies and the agent make it: a {@code @Step} is a step, a
 * {@code @Wait} a wait then a step (its body), a {@code @Callback} a callback then its submit step; the body runs
 * between {@link DurableMethods.MethodCall#skipBody} and {@link DurableMethods.MethodCall#exit}.
 */
final class MethodCallOp implements DurableMethods.MethodCall {
    private final ContextImpl ctx;
    private final StepOp step;
    /** For a {@code @Callback}: what the caller gets once the body (the submitter) ran; else {@code null}. */
    private final CallbackRef callback;

    private MethodCallOp(ContextImpl ctx, StepOp step, CallbackRef callback, String callbackId) {
        this.ctx = ctx;
        this.step = step;
        this.callback = callback;
        if (!step.replayed) {
            step.attemptStarting();
            ExecutionThread.enterStep(callbackId);
        }
    }

    static DurableMethods.MethodCall enter(ContextImpl ctx, DurableMethod method, Object[] args) {
        Names.checkOperation(method.name());
        return switch (method.kind()) {
            case STEP ->
                new MethodCallOp(
                        ctx,
                        StepOp.begin(ctx, method.name(), boxed(method.returnType()), method.stepConfig()),
                        null,
                        null);
            case WAIT -> {
                WaitOp.run(ctx, method.name(), method.waitUntil(args, ctx.inv.now()), null);
                yield new MethodCallOp(
                        ctx,
                        StepOp.begin(ctx, method.name(), boxed(method.returnType()), method.stepConfig()),
                        null,
                        null);
            }
            case CALLBACK -> {
                CallbackHandle<?> cb = CallbackOp.create(
                        ctx, method.name(), boxed(method.returnType()), method.callbackConfig(), true);
                StepOp submit =
                        StepOp.begin(ctx, CallbackOp.submitName(method.name()), Void.class, method.stepConfig());
                yield new MethodCallOp(ctx, submit, cb.ref, cb.id());
            }
        };
    }

    private static Type boxed(Type t) {
        if (t instanceof Class<?> c && c.isPrimitive()) {
            return c == void.class
                    ? Void.class
                    : MethodType.methodType(c).wrap().returnType();
        }
        return t;
    }

    @Override
    public boolean skipBody() {
        return step.replayed;
    }

    @Override
    public Object replayed() {
        Object value = step.replayed(false);
        return callback == null ? value : CallbackOp.await(ctx, callback);
    }

    @Override
    public Object exit(Object returned, Throwable thrown) {
        ExecutionThread.exitStep();
        if (thrown != null) {
            throw ContextImpl.sneaky(step.fail(thrown));
        }
        if (callback == null) {
            return step.succeed(returned);
        }
        step.succeed(null);
        return CallbackOp.await(ctx, callback);
    }
}
