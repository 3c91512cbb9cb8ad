package shop;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.UndeclaredThrowableException;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link OrderProcessor}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName, input)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class OrderProcessor_Durable extends OrderProcessor implements DurableProxy {
    private static final DurableMethod ASK_MANAGER = DurableMethod.of(OrderProcessor.class,
            "askManager", OrderProcessor.Order.class);

    private static final DurableMethod CHARGE = DurableMethod.of(OrderProcessor.class, "charge",
            OrderProcessor.Order.class);

    private static final DurableMethod COOLING_OFF = DurableMethod.of(OrderProcessor.class,
            "coolingOff");

    private static final DurableMethod RESERVE = DurableMethod.of(OrderProcessor.class, "reserve",
            OrderProcessor.Order.class);

    public OrderProcessor_Durable(String warehouse, int maxItems) {
        super(warehouse, maxItems);
    }

    /**
     * Starts an execution of {@link OrderProcessor} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(OrderProcessor.class, executionName, input)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static Execution<String> start(DurableRuntime runtime, String executionName,
            OrderProcessor.Order input) {
        return runtime.start(OrderProcessor.class, executionName, input);
    }

    /**
     * Starts an execution of the function {@code "orders"} on its newest registered version, as
     * {@code runtime.start("orders", executionName, input)} does untyped. It is typed by the {@code @Handler} of
     * {@link OrderProcessor}: use it while every version of {@code "orders"} keeps those types; {@code start} starts the
     * version of {@link OrderProcessor} instead.
     */
    public static Execution<String> startNewest(DurableRuntime runtime, String executionName,
            OrderProcessor.Order input) {
        return runtime.start("orders", executionName, input);
    }

    @Override
    public OrderProcessor.Decision askManager(OrderProcessor.Order o) {
        try {
            return (OrderProcessor.Decision) DurableMethods.call(ASK_MANAGER, new Object[] {o},
                    () -> super.askManager(o));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    protected int charge(OrderProcessor.Order o) {
        try {
            return (int) DurableMethods.call(CHARGE, new Object[] {o}, () -> super.charge(o));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    void coolingOff() {
        try {
            DurableMethods.call(COOLING_OFF, new Object[0], () -> {
                super.coolingOff();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    OrderProcessor.Reservation reserve(OrderProcessor.Order o) {
        try {
            return (OrderProcessor.Reservation) DurableMethods.call(RESERVE, new Object[] {o},
                    () -> super.reserve(o));
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
            return OrderProcessor.class;
        }

        @Override
        public Class<?> proxyClass() {
            return OrderProcessor_Durable.class;
        }
    }
}
