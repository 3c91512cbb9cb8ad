package dev.durable.testing;

import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.TypeToken;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The functions a test registered, kept so that every runtime the kit opens (after a restart, for a replay) gets
 * the very same instances again, as a restarted process would register them.
 */
final class Registrations {
    private final List<Function<DurableRuntime, String>> all = new ArrayList<>();

    <I, O> Function<DurableRuntime, String> add(String name, Class<I> in, Class<O> out, DurableHandler<I, O> handler) {
        return named(name, rt -> rt.register(name, in, out, handler));
    }

    <I, O> Function<DurableRuntime, String> add(
            String name, TypeToken<I> in, TypeToken<O> out, DurableHandler<I, O> handler) {
        return named(name, rt -> rt.register(name, in, out, handler));
    }

    private Function<DurableRuntime, String> named(String name, Consumer<DurableRuntime> registration) {
        Objects.requireNonNull(name, "functionName");
        return add(rt -> {
            registration.accept(rt);
            return name;
        });
    }

    Function<DurableRuntime, String> add(Object durableFunction) {
        Objects.requireNonNull(durableFunction, "durableFunction");
        return add(rt -> rt.register(durableFunction));
    }

    private synchronized Function<DurableRuntime, String> add(Function<DurableRuntime, String> registration) {
        all.add(registration);
        return registration;
    }

    /** Forgets a registration the runtime refused, so later runtimes do not refuse it again. */
    synchronized void remove(Function<DurableRuntime, String> registration) {
        all.remove(registration);
    }

    /** Registers everything with {@code runtime}; returns the function names. */
    Set<String> applyTo(DurableRuntime runtime) {
        List<Function<DurableRuntime, String>> copy;
        synchronized (this) {
            copy = List.copyOf(all);
        }
        Set<String> names = new LinkedHashSet<>();
        for (Function<DurableRuntime, String> r : copy) {
            names.add(r.apply(runtime));
        }
        return names;
    }

    synchronized boolean isEmpty() {
        return all.isEmpty();
    }
}
