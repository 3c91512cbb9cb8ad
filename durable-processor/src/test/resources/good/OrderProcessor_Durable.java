package shop;

import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.UndeclaredThrowableException;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link OrderProcessor}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
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
