package bank;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.TimeoutException;
import javax.annotation.processing.Generated;

/**
 * Durable proxy of {@link Transfers}: its {@code @Step}, {@code @Wait} and {@code @Callback} methods run through
 * the engine. Register an instance with the runtime in place of the original.
 *
 * <p>Start its executions with the static {@code start(runtime, executionName)}, typed by the {@code @Handler}.
 */
@Generated("dev.durable.processor.DurableProcessor")
public final class Transfers_Durable extends Transfers implements DurableProxy {
    private static final DurableMethod ALLOWED = DurableMethod.of(Transfers.class, "allowed",
            int[].class);

    private static final DurableMethod AUDIT = DurableMethod.of(Transfers.class, "audit",
            String.class, String.class, int.class);

    private static final DurableMethod BALANCE_ = DurableMethod.of(Transfers.class, "balance",
            String.class);

    private static final DurableMethod BALANCE__ = DurableMethod.of(Transfers.class, "balance",
            String.class, String.class);

    private static final DurableMethod EXPORT = DurableMethod.of(Transfers.class, "export");

    private static final DurableMethod GRADE = DurableMethod.of(Transfers.class, "grade");

    private static final DurableMethod RATE = DurableMethod.of(Transfers.class, "rate");

    Transfers_Durable() {
        super();
    }

    protected Transfers_Durable(String bank, String... branches) throws IOException {
        super(bank, branches);
    }

    /**
     * Starts an execution of {@link Transfers} on that class's version, typed by its {@code @Handler}, as
     * {@code runtime.start(Transfers.class, executionName, null)} does untyped. Starts are idempotent by name: an
     * execution of that name with the same input is returned, one with another input is refused. Register an
     * instance of the proxy first.
     */
    public static Execution<Void> start(DurableRuntime runtime, String executionName) {
        return runtime.start(Transfers.class, executionName, null);
    }

    /**
     * Starts an execution of the function {@code "Transfers"} on its newest registered version, as
     * {@code runtime.start("Transfers", executionName, null)} does untyped. It is typed by the {@code @Handler} of
     * {@link Transfers}: use it while every version of {@code "Transfers"} keeps those types; {@code start} starts the
     * version of {@link Transfers} instead.
     */
    public static Execution<Void> startNewest(DurableRuntime runtime, String executionName) {
        return runtime.start("Transfers", executionName, null);
    }

    @Override
    boolean allowed(int... codes) {
        try {
            return (boolean) DurableMethods.call(ALLOWED, new Object[] {codes},
                    () -> super.allowed(codes));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    void audit(String e, String t, int BALANCE) throws Exception {
        try {
            DurableMethods.call(AUDIT, new Object[] {e, t, BALANCE}, () -> {
                super.audit(e, t, BALANCE);
                return null;
            });
        } catch (RuntimeException | Error e_) {
            throw e_;
        } catch (Exception e_) {
            throw e_;
        } catch (Throwable t_) {
            throw new UndeclaredThrowableException(t_);
        }
    }

    @Override
    long balance(String account) throws IOException {
        try {
            return (long) DurableMethods.call(BALANCE_, new Object[] {account},
                    () -> super.balance(account));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    long balance(String account, String currency) throws IOException, TimeoutException {
        try {
            return (long) DurableMethods.call(BALANCE__, new Object[] {account, currency},
                    () -> super.balance(account, currency));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException | TimeoutException e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    byte[] export() throws Throwable {
        return (byte[]) DurableMethods.call(EXPORT, new Object[0], () -> super.export());
    }

    @Override
    char grade() {
        try {
            return (char) DurableMethods.call(GRADE, new Object[0], () -> super.grade());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    @Override
    double rate() throws FileNotFoundException, IOException, IllegalStateException {
        try {
            return (double) DurableMethods.call(RATE, new Object[0], () -> super.rate());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException e) {
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
            return Transfers.class;
        }

        @Override
        public Class<?> proxyClass() {
            return Transfers_Durable.class;
        }
    }
}
