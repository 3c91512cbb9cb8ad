package shop;

import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.UndeclaredThrowableException;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link Outer.Inner}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Outer_Inner_Durable extends Outer.Inner implements DurableProxy {
    private static final DurableMethod GREET = DurableMethod.of(Outer.Inner.class, "greet",
            String.class);

    public Outer_Inner_Durable() {
        super();
    }

    @Override
    String greet(String name) {
        try {
            return (String) DurableMethods.call(GREET, new Object[] {name},
                    () -> super.greet(name));
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
            return Outer.Inner.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Outer_Inner_Durable.class;
        }
    }
}
