package dev.durable;

/**
 * A durable function written against the context API. It is re-run from the top on every resume; completed
 * operations return their journaled results, so the code reads as if it ran once.
 *
 * <pre>{@code
 * runtime.register("greet", String.class, String.class, (name, ctx) -> {
 *     String greeting = ctx.step("compose", String.class, s -> "Hello, " + name);
 *     ctx.wait("pause", Duration.ofMinutes(5));
 *     return greeting;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface DurableHandler<I, O> {
    O handle(I input, DurableContext ctx) throws Exception;
}
