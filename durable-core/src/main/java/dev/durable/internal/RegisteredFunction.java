package dev.durable.internal;

import dev.durable.DurableHandler;


import java.lang.reflect.Type;

/** A durable function the runtime can run: its name and version, handler and the types of its input and output. */
record RegisteredFunction(String name, int version, Type inputType, Type outputType,
                          DurableHandler<Object, Object> handler, ClassLoader classLoader, Class<?> functionClass) {}
