package dev.durable;

import java.lang.reflect.Type;

/**
 * Turns checkpointed values into text for the journal and back. The default is {@link JsonSerDes}; a custom one
 * can be set per step ({@link StepConfig.Builder#serdes(SerDes)}, {@code @Step(serdes = ...)}).
 *
 * <p>Implementations must never let the serialized text choose the class to instantiate: the target is always
 * the {@code type} the code declares.
 */
public interface SerDes {
    /** Serializes {@code value}, declared as {@code type}. {@code null} must round-trip. */
    String serialize(Object value, Type type);

    /** Reads a value of exactly {@code type} from {@code data}. */
    Object deserialize(String data, Type type);
}
