package shop;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link Inventory}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName, input)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Inventory_Durable<K extends Comparable<K>, V> extends Inventory<K, V> implements DurableProxy {
    private static final DurableMethod CONVERT = DurableMethod.of(Inventory.class, "convert",
            List.class, Function.class);

    private static final DurableMethod KEYS = DurableMethod.of(Inventory.class, "keys");

    private static final DurableMethod LOOKUP = DurableMethod.of(Inventory.class, "lookup",
            Comparable.class);

    private static final DurableMethod SNAPSHOT = DurableMethod.of(Inventory.class, "snapshot");

    public <M extends Map<K, V>> Inventory_Durable(M stock) {
        super(stock);
    }

    /**
     * Starts an execution of {@link Inventory} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(Inventory.class, executionName, input)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static <K extends Comparable<K>, V> Execution<V> start(DurableRuntime runtime,
            String executionName, K input) {
        return runtime.start(Inventory.class, executionName, input);
    }

    /**
     * Starts an execution of the function {@code "Inventory"} on its newest registered version, as
     * {@code runtime.start("Inventory", executionName, input)} does untyped. It is typed by the {@code @Handler} of
     * {@link Inventory}: use it while every version of {@code "Inventory"} keeps those types; {@code start} starts the
     * version of {@link Inventory} instead.
     */
    public static <K extends Comparable<K>, V> Execution<V> startNewest(DurableRuntime runtime,
            String executionName, K input) {
        return runtime.start("Inventory", executionName, input);
    }

    @Override
    @SuppressWarnings("unchecked")
    <T> List<T> convert(List<? extends V> values, Function<? super V, T> mapper) {
        try {
            return (List<T>) DurableMethods.call(CONVERT, new Object[] {values, mapper},
                    () -> super.convert(values, mapper));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    List<?> keys() {
        try {
            return (List<?>) DurableMethods.call(KEYS, new Object[0], () -> super.keys());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    V lookup(K key) {
        try {
            return (V) DurableMethods.call(LOOKUP, new Object[] {key}, () -> super.lookup(key));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<K, V> snapshot() {
        try {
            return (Map<K, V>) DurableMethods.call(SNAPSHOT, new Object[0], () -> super.snapshot());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    /**
     * Lists this proxy for {@code ProxyRegistration.proxyOf}, through {@code META-INF/services}.
     */
    public static final class Registration implements ProxyRegistration {
        public Registration() {
        }

        @Override
        public Class<?> functionClass() {
            return Inventory.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Inventory_Durable.class;
        }
    }
}
