package dev.durable.internal;

import dev.durable.UnknownExecutionException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The functions registered with a runtime, by name and version, and by class for annotated ones. An execution
 * runs to its end on the version it started with; a new execution starts on the newest registered version.
 */
final class Functions {
    private final Map<String, NavigableMap<Integer, RegisteredFunction>> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, RegisteredFunction> byClass = new ConcurrentHashMap<>();

    /** Adds {@code fn}; refuses a second registration of the same name and version. */
    void add(RegisteredFunction fn) {
        NavigableMap<Integer, RegisteredFunction> versions =
                byName.computeIfAbsent(fn.name(), k -> new ConcurrentSkipListMap<>());
        if (versions.putIfAbsent(fn.version(), fn) != null) {
            throw new IllegalStateException("a function named '" + fn.name() + "'"
                    + (fn.version() == 1 ? "" : " version " + fn.version()) + " is already registered with this"
                    + " runtime; give each durable function a unique name, or each version of it a new version number");
        }
        if (fn.functionClass() != null) {
            byClass.put(fn.functionClass(), fn);
        }
    }

    /** The newest version of {@code name}, or {@code null}. */
    RegisteredFunction newest(String name) {
        NavigableMap<Integer, RegisteredFunction> versions = byName.get(name);
        return versions == null || versions.isEmpty()
                ? null
                : versions.lastEntry().getValue();
    }

    /** The newest registered version of function {@code name}: the one new executions start on. */
    RegisteredFunction require(String name) {
        RegisteredFunction fn = newest(name);
        if (fn == null) {
            throw new UnknownExecutionException(
                    "no durable function named '" + name + "' is registered; registered: " + names());
        }
        return fn;
    }

    /**
     * The function registered for {@code functionClass} or its nearest superclass: the version of that very class,
     * so an older class still registered starts its own version.
     */
    RegisteredFunction require(Class<?> functionClass) {
        for (Class<?> c = functionClass; c != null; c = c.getSuperclass()) {
            RegisteredFunction fn = byClass.get(c);
            if (fn != null) {
                return fn;
            }
        }
        throw new UnknownExecutionException("no durable function is registered for class " + functionClass.getName()
                + "; call runtime.register(instance) first");
    }

    /** Version {@code version} of {@code name}, or {@code null} if it is not registered. */
    RegisteredFunction get(String name, int version) {
        NavigableMap<Integer, RegisteredFunction> versions = byName.get(name);
        return versions == null ? null : versions.get(version);
    }

    /** The registered versions of {@code name}, oldest first. */
    List<Integer> versions(String name) {
        NavigableMap<Integer, RegisteredFunction> versions = byName.get(name);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** The registered names, sorted, for messages. */
    List<String> names() {
        return byName.keySet().stream().sorted().toList();
    }
}
