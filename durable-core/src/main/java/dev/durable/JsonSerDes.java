package dev.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link SerDes}: JSON through Jackson, with records, {@code Optional} and {@code java.time}
 * supported and no polymorphic default typing, so the journal never chooses a class to instantiate.
 *
 * <p>Values are read leniently, so a step's journaled results still replay after its result type gained or lost a
 * field: an unknown property is ignored; a missing one reads as {@code null}, {@code 0}, {@code false} or
 * {@code Optional.empty()}, or as the default a record's compact constructor or a bean's field initializer gives it;
 * a renamed one loses its value unless the new property names the old with {@code @JsonAlias}. A value that does not
 * convert (a field retyped to an object, say) holds the replaying execution blocked until the step declares its next
 * result version with a migration ({@link StepConfig.Builder#resultVersion}, {@code @StepMigration}). Callback
 * payloads, which come from outside, are read {@link #strict() strictly}.
 */
public final class JsonSerDes implements SerDes {
    private static final JsonSerDes DEFAULT = new JsonSerDes(defaultMapper(), true);

    private final ObjectMapper mapper;
    /** Whether integers, longs, booleans and plain strings skip the mapper: only with a mapper no one customised. */
    private final boolean plain;

    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();
    private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();
    private volatile JsonSerDes strict;

    /** Uses the given mapper; it must not enable default typing. */
    public JsonSerDes(ObjectMapper mapper) {
        this(mapper, false);
    }

    private JsonSerDes(ObjectMapper mapper, boolean plain) {
        this.mapper = mapper;
        this.plain = plain;
    }

    /** The shared default instance. */
    public static JsonSerDes defaults() {
        return DEFAULT;
    }

    /** A mapper configured as the default one, to customise and pass to {@link #JsonSerDes(ObjectMapper)}. */
    public static ObjectMapper defaultMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * This serializer reading strictly, as callback payloads from outside are read: an unknown property, a
     * {@code null} for a primitive or a missing creator property is an error, so a typo such as
     * {@code {"kep": true}} is refused instead of silently becoming {@code keep = false}.
     */
    public JsonSerDes strict() {
        JsonSerDes s = strict;
        if (s == null) {
            s = new JsonSerDes(
                    mapper.copy()
                            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES),
                    plain);
            s.strict = s;
            strict = s;
        }
        return s;
    }

    /**
     * The mapper behind this instance. The {@linkplain #defaults() default instance} writes and reads integers,
     * longs, booleans and strings without it, as it would; to change how such values are written, pass a mapper of
     * your own ({@link #defaultMapper()}, customised) to {@link #JsonSerDes(ObjectMapper)}.
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public String serialize(Object value, Type type) {
        try {
            String json = plain ? PlainJson.write(value, type) : null;
            return json != null
                    ? json
                    : writers.computeIfAbsent(type, t -> mapper.writerFor(mapper.constructType(t)))
                            .writeValueAsString(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException(
                    "cannot serialize a value of type " + type.getTypeName()
                            + " to JSON: " + SerializationException.originalMessage(e)
                            + ". Make it a record or bean Jackson can write, or give"
                            + " the operation a custom SerDes.",
                    e);
        }
    }

    @Override
    public Object deserialize(String data, Type type) {
        try {
            Object value = plain ? PlainJson.read(data, type) : PlainJson.UNREAD;
            return value != PlainJson.UNREAD
                    ? value
                    : readers.computeIfAbsent(type, t -> mapper.readerFor(mapper.constructType(t)))
                            .readValue(data);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SerializationException(
                    "cannot read JSON as " + type.getTypeName() + ": " + SerializationException.originalMessage(e)
                            + ". Check that the payload matches the declared type.",
                    e);
        }
    }
}
