package dev.durable;

/**
 * Configuration of {@link DurableContext#invoke}: the serializers of the payload sent to the invoked function and
 * of the result it returns.
 *
 * @param payloadSerDes the payload's serializer, or {@code null} for the runtime's
 * @param resultSerDes the result's serializer, or {@code null} for the runtime's
 */
public record InvokeConfig(SerDes payloadSerDes, SerDes resultSerDes) {
    private static final InvokeConfig DEFAULTS = new InvokeConfig(null, null);

    public static InvokeConfig defaults() {
        return DEFAULTS;
    }
}
