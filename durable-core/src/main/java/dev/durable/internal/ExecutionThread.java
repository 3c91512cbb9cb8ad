package dev.durable.internal;

/**
 * What the current thread is doing for the engine: running handler code in some context, or a step body (where
 * annotated methods are plain calls and durable operations are refused).
 */
final class ExecutionThread {
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private ExecutionThread() {}

    static final class State {
        ContextImpl context;
        boolean inStep;
        String callbackId;
        /** The operation whose suspension was raised on this thread and has not reached the engine yet. */
        String suspendedAt;
    }

    /** Notes that a suspension is being raised here, so the engine can tell if user code swallowed it. */
    static void suspending() {
        State s = STATE.get();
        ContextImpl ctx = s.context;
        s.suspendedAt = ctx == null
                ? "an operation"
                : "operation " + ctx.currentOperation() + " of execution '" + ctx.executionName() + "'";
    }

    /** The operation whose suspension user code caught instead of letting it through, or {@code null}; clears it. */
    static String takeSuspension() {
        State s = STATE.get();
        String at = s.suspendedAt;
        s.suspendedAt = null;
        return at;
    }

    /** The failure of a run whose handler returned or threw after catching a suspension at {@code at}. */
    static IllegalStateException swallowed(String at, Throwable thrown) {
        return new IllegalStateException(
                "a suspension was caught by user code: " + at + " had to wait, but the"
                        + " error that suspends the handler (an Error, so that catch (Exception e) lets it through) was caught,"
                        + " probably by catch (Throwable t) or catch (Error e), and the handler went on as if the wait were"
                        + " over. Catch Exception instead, or rethrow what you catch",
                thrown);
    }

    /** The context durable calls on this thread go to; {@code null} outside executions and inside step bodies. */
    static ContextImpl context() {
        State s = STATE.get();
        return s.inStep ? null : s.context;
    }

    /** The execution this thread works for, also inside step bodies; {@code null} outside executions. */
    static String executionName() {
        ContextImpl ctx = STATE.get().context;
        return ctx == null ? null : ctx.executionName();
    }

    static boolean inStep() {
        return STATE.get().inStep;
    }

    static String callbackId() {
        return STATE.get().callbackId;
    }

    /** Makes {@code ctx} current and returns the previous one, to restore with {@link #restore}. */
    static ContextImpl enter(ContextImpl ctx) {
        State s = STATE.get();
        ContextImpl previous = s.context;
        s.context = ctx;
        return previous;
    }

    static void restore(ContextImpl previous) {
        State s = STATE.get();
        s.context = previous;
        if (previous == null) {
            s.inStep = false;
            s.callbackId = null;
        }
    }

    /** Marks the start of a step body; {@code callbackId} is non-null for callback submitters. */
    static void enterStep(String callbackId) {
        State s = STATE.get();
        s.inStep = true;
        s.callbackId = callbackId;
    }

    static void exitStep() {
        State s = STATE.get();
        s.inStep = false;
        s.callbackId = null;
    }
}
