package dev.durable.processor;

import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * What a resolved method call is to the engine: a durable method ({@code @Step}, {@code @Wait}, {@code @Callback}),
 * an operation of the context API, a patch, or none of these. Read by the determinism lint and the operation
 * manifest alike, by the methods' qualified names: the processor never loads durable-core.
 */
final class DurableCalls {
    static final String CONTEXT = "dev.durable.DurableContext";
    static final String DURABLE = "dev.durable.Durable";
    static final String CALLBACK = "dev.durable.DurableCallback";

    /** The types whose methods are durable operations, besides {@code @Step}, {@code @Wait} and {@code @Callback}. */
    private static final Set<String> DURABLE_TYPES = Set.of(CONTEXT, CALLBACK);

    /** Methods of {@link #DURABLE_TYPES} that neither journal nor wait, so cannot throw the engine's Errors. */
    private static final Set<String> PLAIN_METHODS =
            Set.of("executionName", "random", "uuid", "isReplaying", "logger", "id");

    /** Context methods whose lambda arguments are step bodies, run once and checkpointed. */
    static final Set<String> STEP_CALLS = Set.of("step", "waitForCallback", "waitForCondition");

    enum Kind {
        /** A call of a {@code @Step}, {@code @Wait} or {@code @Callback} method. */
        DURABLE_METHOD,
        /** A method of the context API that journals or waits: {@code step}, {@code wait}, {@code now}... */
        CONTEXT_OPERATION,
        /** {@code patched(id)}, of the context or of {@code Durable}. */
        PATCHED,
        /** {@code deprecatePatch(id)}, of the context or of {@code Durable}. */
        DEPRECATE_PATCH,
        /** Anything else, including the context's methods that neither journal nor wait. */
        OTHER
    }

    private DurableCalls() {}

    static Kind of(ExecutableElement method) {
        if (!DurableAnnotations.operations(method).isEmpty()) {
            return Kind.DURABLE_METHOD;
        }
        if (!(method.getEnclosingElement() instanceof TypeElement owner)) {
            return Kind.OTHER;
        }
        String type = owner.getQualifiedName().toString();
        String name = method.getSimpleName().toString();
        if (!type.equals(DURABLE) && !DURABLE_TYPES.contains(type)) {
            return Kind.OTHER;
        }
        if (name.equals("patched") && !type.equals(CALLBACK)) {
            return Kind.PATCHED;
        }
        if (name.equals("deprecatePatch") && !type.equals(CALLBACK)) {
            return Kind.DEPRECATE_PATCH;
        }
        return DURABLE_TYPES.contains(type) && !PLAIN_METHODS.contains(name) ? Kind.CONTEXT_OPERATION : Kind.OTHER;
    }

    /** A durable method, or a context call that journals or waits (patches included): one that may suspend. */
    static boolean isDurable(ExecutableElement method) {
        Kind kind = of(method);
        if (kind == Kind.PATCHED || kind == Kind.DEPRECATE_PATCH) {
            return !((TypeElement) method.getEnclosingElement())
                    .getQualifiedName()
                    .contentEquals(DURABLE);
        }
        return kind == Kind.DURABLE_METHOD || kind == Kind.CONTEXT_OPERATION;
    }
}
