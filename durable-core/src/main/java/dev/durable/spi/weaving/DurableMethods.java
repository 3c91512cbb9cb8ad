package dev.durable.spi.weaving;

import dev.durable.ExecutionScope;

/**
 * The entry points through which generated proxies and the agent make annotated methods durable. Both are
 * no-ops outside an execution and inside step bodies, where an annotated method is a plain call; so with a proxy
 * and the agent both present, each call is journaled once (the proxy's, the woven original running as its body).
 *
 * <p>Generated proxies use {@link #call}:
 * <pre>{@code
 * @Override Reservation reserve(Order o) {
 *     return (Reservation) DurableMethods.call(RESERVE, new Object[] {o}, () -> super.reserve(o));
 * }
 * }</pre>
 *
 * <p>The agent's advice, which cannot pass the body as a lambda, uses {@link #enter} before the body and
 * {@link MethodCall#exit} after it.
 */
public final class DurableMethods {
    private static final ExecutionScope SCOPE = ExecutionScope.current();

    private DurableMethods() {}

    /** The original method body. */
    @FunctionalInterface
    public interface MethodBody {
        Object run() throws Throwable;
    }

    /** Whether a call made now on this thread would be journaled. */
    public static boolean isIntercepting() {
        return SCOPE.context() != null;
    }

    /**
     * Runs {@code body} durably as {@code method} describes, or plainly outside an execution.
     *
     * @return the value the method returns (the journaled one on replay; the callback payload for callbacks)
     * @throws Throwable what the method throws (the journaled failure on replay)
     */
    public static Object call(DurableMethod method, Object[] args, MethodBody body) throws Throwable {
        MethodCall call = enter(method, args);
        if (call == null) {
            return body.run();
        }
        if (call.skipBody()) {
            return call.replayed();
        }
        Object value;
        try {
            value = body.run();
        } catch (Throwable t) {
            return call.exit(null, t);
        }
        return call.exit(value, null);
    }

    /**
     * Starts a durable call. Returns {@code null} when the body should simply run (no execution on this thread, or
     * inside a step body). May throw the engine's suspension error, which must propagate.
     */
    public static MethodCall enter(DurableMethod method, Object[] args) throws Throwable {
        return SCOPE.context() instanceof Interceptor ctx ? ctx.enterMethod(method, args) : null;
    }

    /** A context that journals calls of durable methods; the engine's contexts implement it. */
    public interface Interceptor {
        /** Starts a durable call of {@code method} with {@code args}; see {@link DurableMethods#enter}. */
        MethodCall enterMethod(DurableMethod method, Object[] args) throws Throwable;
    }

    /** One durable call in progress; see {@link DurableMethods}. */
    public interface MethodCall {
        /** True when the outcome is already journaled and the body must not run. */
        boolean skipBody();

        /** When {@link #skipBody()}: the value to return, or throws the journaled failure. */
        Object replayed() throws Throwable;

        /**
         * After the body ran: checkpoints its outcome ({@code thrown} non-null if it threw) and returns what the
         * method must return, or throws what it must throw (the body's failure, or the suspension error for a
         * retry delay or a pending callback).
         */
        Object exit(Object returned, Throwable thrown) throws Throwable;
    }
}
