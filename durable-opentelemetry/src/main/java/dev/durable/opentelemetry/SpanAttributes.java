package dev.durable.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The attributes of one span: a fixed set of keys per kind of span, in the order of their names as the SDK keeps
 * them, and one value per key ({@code null} for a key the span does not carry). Built with no sorting or copying, as
 * every step of every traced execution builds two.
 */
final class SpanAttributes implements Attributes {
    /** The keys of one kind of span, in the order of their names. */
    static final class Keys {
        final AttributeKey<?>[] keys;

        Keys(AttributeKey<?>... keys) {
            AttributeKey<?>[] sorted = keys.clone();
            Arrays.sort(sorted, (a, b) -> a.getKey().compareTo(b.getKey()));
            if (!Arrays.equals(sorted, keys)) {
                throw new IllegalArgumentException("keys must be in the order of their names: " + Arrays.asList(keys));
            }
            this.keys = keys;
        }
    }

    private final AttributeKey<?>[] keys;
    private final Object[] values;
    private final int size;

    /** {@code values[i]} is the value of {@code keys.keys[i]}, {@code null} when the span does not carry it. */
    SpanAttributes(Keys keys, Object... values) {
        if (values.length != keys.keys.length) {
            throw new IllegalArgumentException(keys.keys.length + " values expected, got " + values.length);
        }
        this.keys = keys.keys;
        this.values = values;
        int n = 0;
        for (Object v : values) {
            if (v != null) {
                n++;
            }
        }
        this.size = n;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(AttributeKey<T> key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return (T) values[i];
            }
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null) {
                consumer.accept(keys[i], values[i]);
            }
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
        Map<AttributeKey<?>, Object> map = new LinkedHashMap<>();
        forEach(map::put);
        return Collections.unmodifiableMap(map);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public AttributesBuilder toBuilder() {
        AttributesBuilder b = Attributes.builder();
        forEach((k, v) -> b.put((AttributeKey) k, v));
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes other && asMap().equals(other.asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
