package shop;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link Reminders}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName, input)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
final class Reminders_Durable extends Reminders implements DurableProxy {
    private static final DurableMethod POLL = DurableMethod.of(Reminders.class, "poll",
            String.class);

    private static final DurableMethod SNOOZE = DurableMethod.of(Reminders.class, "snooze",
            Duration.class);

    private static final DurableMethod UNTIL = DurableMethod.of(Reminders.class, "until",
            Instant.class, String.class);

    Reminders_Durable() {
        super();
    }

    /**
     * Starts an execution of {@link Reminders} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(Reminders.class, executionName, input)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static Execution<Void> start(DurableRuntime runtime, String executionName,
            Instant input) {
        return runtime.start(Reminders.class, executionName, input);
    }

    /**
     * Starts an execution of the function {@code "reminders"} on its newest registered version, as
     * {@code runtime.start("reminders", executionName, input)} does untyped. It is typed by the {@code @Handler} of
     * {@link Reminders}: use it while every version of {@code "reminders"} keeps those types; {@code start} starts the
     * version of {@link Reminders} instead.
     */
    public static Execution<Void> startNewest(DurableRuntime runtime, String executionName,
            Instant input) {
        return runtime.start("reminders", executionName, input);
    }

    @Override
    @SuppressWarnings("unchecked")
    List<String> poll(String audience) {
        try {
            return (List<String>) DurableMethods.call(POLL, new Object[] {audience},
                    () -> super.poll(audience));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    protected void snooze(Duration length) {
        try {
            DurableMethods.call(SNOOZE, new Object[] {length}, () -> {
                super.snooze(length);
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    String until(Instant deadline, String label) {
        try {
            return (String) DurableMethods.call(UNTIL, new Object[] {deadline, label},
                    () -> super.until(deadline, label));
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
            return Reminders.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Reminders_Durable.class;
        }
    }
}
