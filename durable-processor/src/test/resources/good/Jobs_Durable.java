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
 * Durable proxy of {@link Jobs}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with {@code Starter.start(runtime, executionName, input)}, typed by the {@code @Handler}: the
 * starters are in {@link Starter} because {@code Jobs} has a method named {@code start} or {@code startNewest}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Jobs_Durable extends Jobs implements DurableProxy {
    private static final DurableMethod ATTEMPTS = DurableMethod.of(Jobs.class, "attempts",
            String.class);

    public Jobs_Durable() {
        super();
    }

    @Override
    int attempts(String job) {
        try {
            return (int) DurableMethods.call(ATTEMPTS, new Object[] {job},
                    () -> super.attempts(job));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    /**
     * The typed starters of {@link Jobs}, apart from the proxy: {@code Jobs} has a method named {@code start} or
     * {@code startNewest}, which static methods of those names in the proxy would clash with.
     */
    public static final class Starter {
        private Starter() {
        }

        /**
         * Starts an execution of {@link Jobs} on that class's version, typed by its {@code @Handler}, as
         * {@code runtime.start(Jobs.class, executionName, input)} does untyped. Starts are idempotent by name: an
         * execution of that name with the same input is returned, one with another input is refused. Register an
         * instance of the proxy first.
         */
        public static Execution<Long> start(DurableRuntime runtime, String executionName,
                String input) {
            return runtime.start(Jobs.class, executionName, input);
        }

        /**
         * Starts an execution of the function {@code "Jobs"} on its newest registered version, as
         * {@code runtime.start("Jobs", executionName, input)} does untyped. It is typed by the {@code @Handler} of
         * {@link Jobs}: use it while every version of {@code "Jobs"} keeps those types; {@code start} starts the
         * version of {@link Jobs} instead.
         */
        public static Execution<Long> startNewest(DurableRuntime runtime, String executionName,
                String input) {
            return runtime.start("Jobs", executionName, input);
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
            return Jobs.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Jobs_Durable.class;
        }
    }
}
