package dev.durable.agent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * The engine entry points of one copy of durable-core ({@code DurableMethods}), reached through method handles: the
 * agent sits on the system class path and never links against core, which the application brings, possibly in a
 * class loader of its own.
 */
final class CoreBridge {
    static final String DURABLE_METHODS = "dev.durable.spi.weaving.DurableMethods";

    private static final ClassValue<CoreBridge> BY_CORE = new ClassValue<>() {
        @Override
        protected CoreBridge computeValue(Class<?> durableMethods) {
            return new CoreBridge(durableMethods);
        }
    };

    private final MethodHandle isIntercepting;
    private final MethodHandle describe;
    private final MethodHandle enter;
    private final MethodHandle skipBody;
    private final MethodHandle replayed;
    private final MethodHandle exit;

    private CoreBridge(Class<?> durableMethods) {
        ClassLoader loader = durableMethods.getClassLoader();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            Class<?> descriptor = Class.forName("dev.durable.spi.weaving.DurableMethod", false, loader);
            Class<?> call = Class.forName(DURABLE_METHODS + "$MethodCall", false, loader);
            isIntercepting = lookup.findStatic(durableMethods, "isIntercepting", MethodType.methodType(boolean.class));
            describe = lookup.findStatic(descriptor, "of", MethodType.methodType(descriptor, Method.class))
                    .asType(MethodType.methodType(Object.class, Method.class));
            enter = lookup.findStatic(durableMethods, "enter", MethodType.methodType(call, descriptor, Object[].class))
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
            skipBody = lookup.findVirtual(call, "skipBody", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            replayed = lookup.findVirtual(call, "replayed", MethodType.methodType(Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class));
            exit = lookup.findVirtual(call, "exit", MethodType.methodType(Object.class, Object.class, Throwable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "the durable-core found at " + location(durableMethods) + " does not match"
                            + " this durable-agent: use the same version of both",
                    e);
        }
    }

    /** The bridge to the core that {@code loader} sees, or null when it sees none. */
    static CoreBridge visibleFrom(ClassLoader loader) {
        Class<?> durableMethods;
        try {
            durableMethods = Class.forName(DURABLE_METHODS, false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
        return BY_CORE.get(durableMethods);
    }

    boolean isIntercepting() throws Throwable {
        return (boolean) isIntercepting.invokeExact();
    }

    /** Core's {@code DurableMethod} for {@code method}; throws if its annotations are malformed. */
    Object describe(Method method) throws Throwable {
        return (Object) describe.invokeExact(method);
    }

    /** Core's {@code MethodCall}, or null to run the body plainly; may throw the engine's suspension error. */
    Object enter(Object durableMethod, Object[] args) throws Throwable {
        return (Object) enter.invokeExact(durableMethod, args);
    }

    boolean skipBody(Object call) throws Throwable {
        return (boolean) skipBody.invokeExact(call);
    }

    Object replayed(Object call) throws Throwable {
        return (Object) replayed.invokeExact(call);
    }

    Object exit(Object call, Object returned, Throwable thrown) throws Throwable {
        return (Object) exit.invokeExact(call, returned, thrown);
    }

    private static String location(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? String.valueOf(type.getClassLoader())
                : source.getLocation().toString();
    }
}
