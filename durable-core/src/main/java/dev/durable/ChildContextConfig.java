package dev.durable;

/**
 * Configuration of {@link DurableContext#runInChildContext}: the serializer of the child context's result.
 *
 * <pre>{@code
 * Summary s = ctx.runInChildContext("summarise", Summary.class, c -> summarise(c), ChildContextConfig.serdes(mySerDes));
 * }</pre>
 *
 * @param serdes the result's serializer, or {@code null} for the runtime's
 */
public record ChildContextConfig(SerDes serdes) {
    private static final ChildContextConfig DEFAULTS = new ChildContextConfig(null);

    /** The runtime's serializer. */
    public static ChildContextConfig defaults() {
        return DEFAULTS;
    }

    public static ChildContextConfig serdes(SerDes serdes) {
        return new ChildContextConfig(serdes);
    }
}
