package dev.durable;

import java.util.ServiceLoader;

/**
 * What runs on the current thread, as {@link Durable} sees it. The engine implements this and registers it with
 * {@link ServiceLoader}; user code calls {@link Durable} instead and never implements this.
 */
public interface ExecutionScope {
    /** The context of the execution running on this thread, or {@code null} outside one and inside a step body. */
    DurableContext context();

    /** Whether this thread runs a step body. */
    boolean inStep();

    /** The name of the execution running on this thread, inside a step body too, or {@code null}. */
    String executionName();

    /** The id of the callback being submitted on this thread, or {@code null}. */
    String callbackId();

    /**
     * The registered scope.
     *
     * @throws IllegalStateException if no engine is on the class path
     */
    static ExecutionScope current() {
        return Registered.SCOPE;
    }

    /** Loads the scope once, on first use. */
    final class Registered {
        static final ExecutionScope SCOPE = ServiceLoader.load(
                        ExecutionScope.class, ExecutionScope.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no durable engine is on the class path; add"
                        + " durable-core (it registers " + ExecutionScope.class.getName() + " with ServiceLoader)"));

        private Registered() {}
    }
}
