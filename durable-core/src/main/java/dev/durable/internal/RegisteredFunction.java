package dev.durable.internal;

import dev.durable.DurableHandler;
import dev.durable.Names;
import dev.durable.SerializationException;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/** A durable function the runtime can run: its name and version, handler and the types of its input and output. */
record RegisteredFunction(
        String name,
        int version,
        Type inputType,
        Type outputType,
        DurableHandler<Object, Object> handler,
        ClassLoader classLoader,
        Class<?> functionClass) {

    /**
     * Checks what a registration gives. Values are read with the class loader of {@code functionClass}, the annotated
     * class ({@code null} for a handler registered as a lambda: then the handler's own).
     */
    @SuppressWarnings("unchecked")
    static RegisteredFunction of(
            String name, int version, Type in, Type out, DurableHandler<?, ?> handler, Class<?> functionClass) {
        Objects.requireNonNull(handler, "handler must not be null");
        Names.checkFunction(name);
        Objects.requireNonNull(in, "inputType must not be null");
        Objects.requireNonNull(out, "outputType must not be null");
        if (version < 1) {
            throw new IllegalArgumentException(
                    "function '" + name + "' has version " + version + "; versions count from 1");
        }
        Class<?> owner = functionClass != null ? functionClass : handler.getClass();
        ClassLoader loader =
                owner.getClassLoader() != null ? owner.getClassLoader() : DurableEngine.class.getClassLoader();
        return new RegisteredFunction(
                name, version, in, out, (DurableHandler<Object, Object>) handler, loader, functionClass);
    }

    /** Reads an input given as JSON, strictly (as payloads from outside are read); nothing is started if it fails. */
    Object readInput(String json, PayloadCodec codec) {
        try {
            return codec.strict().deserialize(json, inputType);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    "the input for function '" + name + "' does not convert to " + inputType.getTypeName() + ": "
                            + e.getMessage() + ". Nothing was started.",
                    e);
        }
    }

    /**
     * Refuses an input that is not of the function's input type, before anything is journaled: serializing it as
     * that type would fail with a less helpful message, or store a value the handler cannot read.
     */
    void checkInput(Object input, String executionName) {
        Class<?> expected = rawClass(inputType);
        if (input == null || expected == null || expected == Void.class) {
            return;
        }
        if (expected.isPrimitive()) {
            expected = MethodType.methodType(expected).wrap().returnType();
        }
        if (!expected.isInstance(input)) {
            throw new IllegalArgumentException("function '" + name + "' takes input of type " + inputType.getTypeName()
                    + ", but execution '" + executionName + "' was given a "
                    + input.getClass().getName()
                    + "; pass a value of that type (or the input as JSON to startJson). Nothing was started.");
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null; // a type variable or wildcard: nothing to check against
    }
}
