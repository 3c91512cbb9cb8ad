package dev.durable.core;

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
    }

    /** The context durable calls on this thread go to; {@code null} outside executions and inside step bodies. */
    static ContextImpl context() {
        State s = STATE.get();
        return s.inStep ? null : s.context;
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
