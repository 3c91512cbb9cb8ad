package dev.durable.core;

/** Code run in a child context (a branch of {@code parallel}, the body of {@code runInChildContext}). */
@FunctionalInterface
public interface ContextFunction<T> {
    T apply(DurableContext ctx) throws Exception;
}
