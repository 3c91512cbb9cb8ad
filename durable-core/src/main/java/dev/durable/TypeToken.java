package dev.durable;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * A full generic type, captured by subclassing, so checkpointed values keep their type parameters.
 *
 * <pre>{@code
 * List<Item> items = ctx.step("load", new TypeToken<List<Item>>() {}, s -> repository.items());
 * }</pre>
 *
 * @param <T> the captured type
 */
public abstract class TypeToken<T> {
    private final Type type;

    /** Captures the type argument of the anonymous subclass. */
    protected TypeToken() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException(
                    "TypeToken must be created with a type argument: new TypeToken<List<Item>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    private TypeToken(Type type) {
        this.type = Objects.requireNonNull(type, "type must not be null");
    }

    /** A token for a type known only at run time, such as a method's generic return type. */
    public static TypeToken<?> of(Type type) {
        return new TypeToken<Object>(type) {};
    }

    /** A token for a plain class. */
    @SuppressWarnings("unchecked")
    public static <T> TypeToken<T> of(Class<T> type) {
        return (TypeToken<T>) new TypeToken<Object>(type) {};
    }

    /** The captured type. */
    public final Type type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeToken<?> other && type.equals(other.type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return type.getTypeName();
    }
}
