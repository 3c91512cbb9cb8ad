package dev.durable.internal;

import dev.durable.DurableHandler;
import dev.durable.Names;
import java.lang.reflect.Type;
import java.util.Objects;

/** A durable function the runtime can run: its name and version, handler and the types of its input and output. */
record RegisteredFunction(String name, int version, Type inputType, Type outputType,
                          DurableHandler<Object, Object> handler, ClassLoader classLoader, Class<?> functionClass) {

    /** Checks what a registration gives; {@code owner} is the class whose loader the handler's values come from. */
    @SuppressWarnings("unchecked")
    static RegisteredFunction of(String name, int version, Type in, Type out, DurableHandler<?, ?> handler,
                                 Class<?> owner, Class<?> functionClass) {
        Names.checkFunction(name);
        Objects.requireNonNull(in, "inputType must not be null");
        Objects.requireNonNull(out, "outputType must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        if (version < 1) {
            throw new IllegalArgumentException("function '" + name + "' has version " + version
                    + "; versions count from 1");
        }
        ClassLoader loader = owner.getClassLoader() != null ? owner.getClassLoader() : DurableEngine.class.getClassLoader();
        return new RegisteredFunction(name, version, in, out, (DurableHandler<Object, Object>) handler, loader,
                functionClass);
    }
}
