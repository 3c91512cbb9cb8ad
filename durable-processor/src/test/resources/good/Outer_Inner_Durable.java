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
 * Durable proxy of {@link Outer.Inner}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName, input)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Outer_Inner_Durable extends Outer.Inner implements DurableProxy {
    private static final DurableMethod GREET = DurableMethod.of(Outer.Inner.class, "greet",
            String.class);

    public Outer_Inner_Durable() {
        super();
    }

    /**
     * Starts an execution of {@link Outer.Inner} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(Outer.Inner.class, executionName, input)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static Execution<String> start(DurableRuntime runtime, String executionName,
            String input) {
        return runtime.start(Outer.Inner.class, executionName, input);
    }

    /**
     * Starts an execution of the function {@code "Inner"} on its newest registered version, as
     * {@code runtime.start("Inner", executionName, input)} does untyped. It is typed by the {@code @Handler} of
     * {@link Outer.Inner}: use it while every version of {@code "Inner"} keeps those types; {@code start} starts the
     * version of {@link Outer.Inner} instead.
     */
    public static Execution<String> startNewest(DurableRuntime runtime, String executionName,
            String input) {
        return runtime.start("Inner", executionName, input);
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
