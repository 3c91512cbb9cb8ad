package dev.durable;

import java.util.Objects;

/** Code run in a child context (a branch of {@code parallel}, the body of {@code runInChildContext}). */
@FunctionalInterface
public interface ContextFunction<T> {
    T apply(DurableContext ctx) throws Exception;

    /**
     * A {@code parallel} branch with a name of its own, shown in the history instead of {@code branch-<index>}:
     * <pre>{@code
     * ctx.parallel("quotes", Quote.class, List.of(
     *         ContextFunction.named("hotel", c -> hotels.quote(c, trip)),
     *         ContextFunction.named("flight", c -> airline.quote(c, trip))), ParallelConfig.defaults());
     * }</pre>
     */
    static <T> ContextFunction<T> named(String name, ContextFunction<T> fn) {
        Names.checkOperation(Objects.requireNonNull(name, "name must not be null"));
        return new Named<>(name, Objects.requireNonNull(fn, "fn must not be null"));
    }

    /** A branch carrying its name; see {@link #named}. */
    record Named<T>(String name, ContextFunction<T> fn) implements ContextFunction<T> {
        @Override
        public T apply(DurableContext ctx) throws Exception {
            return fn.apply(ctx);
        }
    }
}
