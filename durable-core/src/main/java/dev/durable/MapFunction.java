package dev.durable;

/** The function {@code map} applies to each item, in a child context of its own. */
@FunctionalInterface
public interface MapFunction<I, O> {
    O apply(I item, int index, DurableContext ctx) throws Exception;
}
