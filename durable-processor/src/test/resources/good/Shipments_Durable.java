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
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link Shipments}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName, input)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Shipments_Durable extends Shipments implements DurableProxy {
    private static final DurableMethod PACK = DurableMethod.of(Shipments.class, "pack", List.class);

    public Shipments_Durable() {
        super();
    }

    /**
     * Starts an execution of {@link Shipments} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(Shipments.class, executionName, input)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static Execution<Map<String, List<Shipments.Parcel>>> start(DurableRuntime runtime,
            String executionName, List<Shipments.Item> input) {
        return runtime.start(Shipments.class, executionName, input);
    }

    /**
     * Starts an execution of the function {@code "shipments"} on its newest registered version, as
     * {@code runtime.start("shipments", executionName, input)} does untyped. It is typed by the {@code @Handler} of
     * {@link Shipments}: use it while every version of {@code "shipments"} keeps those types; {@code start} starts the
     * version of {@link Shipments} instead.
     */
    public static Execution<Map<String, List<Shipments.Parcel>>> startNewest(DurableRuntime runtime,
            String executionName, List<Shipments.Item> input) {
        return runtime.start("shipments", executionName, input);
    }

    @Override
    Shipments.Parcel pack(List<Shipments.Item> items) {
        try {
            return (Shipments.Parcel) DurableMethods.call(PACK, new Object[] {items},
                    () -> super.pack(items));
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
            return Shipments.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Shipments_Durable.class;
        }
    }
}
