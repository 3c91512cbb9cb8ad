package dev.durable.internal;

import dev.durable.JsonSerDes;
import dev.durable.PayloadTooLargeException;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * The runtime's serializer and its payload limit: every input, result and payload is written through here, so
 * every one is checked against the same limit and reads back the same way on the first run as on a replay.
 */
final class PayloadCodec {
    private final SerDes serdes;
    private final long limit;

    PayloadCodec(SerDes serdes, long limit) {
        this.serdes = serdes;
        this.limit = limit;
    }

    /** The runtime's serializer. */
    SerDes serdes() {
        return serdes;
    }

    /** An operation's own serializer, or the runtime's when it has none. */
    SerDes or(SerDes own) {
        return own != null ? own : serdes;
    }

    /** The runtime's serializer reading strictly, as values from outside (JSON inputs, callback payloads) are read. */
    SerDes strict() {
        return serdes instanceof JsonSerDes json ? json.strict() : serdes;
    }

    /** Writes {@code value} and checks the result against the limit; {@code what} names it in the error. */
    String serialize(Object value, Type type, SerDes s, String what) {
        String json = s.serialize(value, type);
        checkSize(json, what);
        return json;
    }

    /** Whether {@code json} is within the payload limit. */
    boolean fits(String json) {
        // at most 3 UTF-8 bytes per char: most payloads are cleared without encoding them
        return json == null
                || (long) json.length() * 3 <= limit
                || json.getBytes(StandardCharsets.UTF_8).length <= limit;
    }

    void checkSize(String json, String what) {
        if (!fits(json)) {
            throw new PayloadTooLargeException(what, json.getBytes(StandardCharsets.UTF_8).length, limit);
        }
    }

    /**
     * The value a handler sees for a result just journaled as {@code json}: read back from it, exactly as a replay
     * reads it, so the first run and every replay see one value. A value that does not read back fails here.
     */
    static Object checkpointed(Object value, String json, Type type, SerDes serdes, String what) {
        try {
            return serdes.deserialize(json, type);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    what + " (a " + (value == null ? "null" : value.getClass().getName())
                            + ") does not round-trip through its serializer: it was written as "
                            + (json.length() > 120 ? json.substring(0, 117) + "..." : json)
                            + " but reading that back as "
                            + type.getTypeName() + " fails: " + e.getMessage()
                            + ". Return a value the serializer can write and"
                            + " read back (a record or bean of plain data), or give the operation a SerDes that can.",
                    e);
        }
    }
}
