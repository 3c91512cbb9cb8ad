package dev.durable.it.agent;

import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import java.lang.reflect.UndeclaredThrowableException;

/** What durable-processor generates for {@link Invoice}, written out by hand. */
public final class InvoiceProxy extends Invoice implements DurableProxy {
    private static final DurableMethod AMOUNT = DurableMethod.of(Invoice.class, "amount", Order.class);
    private static final DurableMethod SEND = DurableMethod.of(Invoice.class, "send", Order.class, int.class);

    @Override
    int amount(Order order) {
        return (Integer) call(AMOUNT, new Object[] {order}, () -> super.amount(order));
    }

    @Override
    String send(Order order, int amount) {
        return (String) call(SEND, new Object[] {order, amount}, () -> super.send(order, amount));
    }

    private static Object call(DurableMethod method, Object[] args, DurableMethods.MethodBody body) {
        try {
            return DurableMethods.call(method, args, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }
}
