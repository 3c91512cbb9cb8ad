package dev.durable.samples.boot;

import dev.durable.CallbackTimeoutException;
import dev.durable.Durable;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The durable function: an ordinary Spring component with constructor injection. The starter instantiates the
 * generated {@code OrderProcessor_Durable} in its place and registers it with the runtime.
 */
@DurableFunction("order-processing")
@Component
public class OrderProcessor {
    private final Shop shop;
    private final Duration coolingOff;

    public OrderProcessor(Shop shop, @Value("${orders.cooling-off:PT10S}") Duration coolingOff) {
        this.shop = shop;
        this.coolingOff = coolingOff;
    }

    @Handler
    public Receipt handle(Order order) {
        String reservation = reserve(order);
        String payment = charge(order);
        coolingOff(coolingOff);
        Decision decision;
        try {
            decision = askManager(order);
        } catch (CallbackTimeoutException e) {
            decision = new Decision(false, "nobody (timed out)");
        }
        return decision.approved()
                ? new Receipt(order.id(), "SHIPPED", payment, ship(reservation) + ", approved by " + decision.by())
                : new Receipt(order.id(), "REFUNDED", payment, refund(payment) + ", rejected by " + decision.by());
    }

    @Step
    String reserve(Order order) {
        return shop.reserve(order);
    }

    @Step(semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY)
    String charge(Order order) {
        return shop.charge(order);
    }

    @Wait
    void coolingOff(Duration duration) {}

    @Callback(timeout = "P7D")
    Decision askManager(Order order) {
        shop.requestApproval(order.id(), Durable.callbackId());
        return null;
    }

    @Step
    String ship(String reservation) {
        return shop.ship(reservation);
    }

    @Step
    String refund(String payment) {
        return shop.refund(payment);
    }
}
