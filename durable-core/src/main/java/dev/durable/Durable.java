package dev.durable;

import java.util.Optional;

/**
 * Static access to the running execution, for code that has no {@link DurableContext} parameter: annotated
 * handlers and {@code @Callback} submitters.
 *
 * <pre>{@code
 * @Callback(timeout = "P7D")
 * Decision askManager(Order o) {
 *     mailer.send(o.manager(), "Approve: " + Durable.callbackId());
 *     return null;
 * }
 * }</pre>
 */
public final class Durable {
    private Durable() {}

    /**
     * The context of the execution running on this thread.
     *
     * @throws IllegalStateException outside an execution, or inside a step body (steps cannot nest operations)
     */
    public static DurableContext context() {
        DurableContext ctx = ExecutionScope.current().context();
        if (ctx == null) {
            throw new IllegalStateException(
                    ExecutionScope.current().inStep()
                            ? "durable operations cannot run inside a step body; move them to the handler or a child context"
                            : "no durable execution is running on this thread; call this from a handler started by the runtime");
        }
        return ctx;
    }

    /**
     * The name of the execution this thread works for, in handler code and in step bodies alike; empty outside
     * executions. Log appenders and test doubles use it to tell executions apart.
     */
    public static Optional<String> executionName() {
        return Optional.ofNullable(ExecutionScope.current().executionName());
    }

    /** The running execution's context, if any (empty inside step bodies). */
    public static Optional<DurableContext> currentContext() {
        return Optional.ofNullable(ExecutionScope.current().context());
    }

    /**
     * {@link DurableContext#patched} of the execution running on this thread, for handlers written with annotations:
     * <pre>{@code
     * if (Durable.patched("send-sms")) {
     *     sendSms(order);      // a @Step method
     * }
     * }</pre>
     */
    public static boolean patched(String patchId) {
        return context().patched(patchId);
    }

    /** {@link DurableContext#deprecatePatch} of the execution running on this thread. */
    public static void deprecatePatch(String patchId) {
        context().deprecatePatch(patchId);
    }

    /**
     * The id of the callback whose submitter is running on this thread.
     *
     * @throws IllegalStateException outside a {@code @Callback} method body or {@code waitForCallback} submitter
     */
    public static String callbackId() {
        String id = ExecutionScope.current().callbackId();
        if (id == null) {
            throw new IllegalStateException("no callback is being submitted on this thread; Durable.callbackId() works"
                    + " inside a @Callback method body or a waitForCallback submitter");
        }
        return id;
    }
}
