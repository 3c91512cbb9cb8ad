package dev.durable.samples.orders;

import dev.durable.CallbackTimeoutException;
import dev.durable.Durable;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.time.Duration;

/**
 * Order processing with annotations: reserve inventory (retried with backoff), charge the card (at most once per
 * attempt), a cooling-off period, manager approval by callback with a timeout, then ship or refund.
 *
 * <p>Compiled with {@code durable-processor}, which generates {@code OrderProcessor_Durable}: register an instance of
 * it and every annotated method is checkpointed. After a crash the handler re-runs from the top and completed steps
 * return their journaled results instead of calling the services again.
 */
@DurableFunction("order-processing")
public class OrderProcessor {
    private final Services services;
    private final Duration coolingOff;

    public OrderProcessor(Services services, Duration coolingOff) {
        this.services = services;
        this.coolingOff = coolingOff;
    }

    @Handler
    public Receipt handle(Order order) {
        Durable.context().logger().info("processing order {}", order.id());
        String reservation = reserve(order);
        String payment = charge(order);
        coolingOff(coolingOff);
        Decision decision;
        try {
            decision = askManager(order);
        } catch (CallbackTimeoutException e) {
            decision = new Decision(false, "nobody (timed out)");
        }
        if (decision.approved()) {
            return new Receipt(
                    order.id(), "SHIPPED", reservation, payment, ship(reservation) + ", approved by " + decision.by());
        }
        return new Receipt(
                order.id(), "REFUNDED", reservation, payment, refund(payment) + ", rejected by " + decision.by());
    }

    @Step(retry = @Retry(maxAttempts = 5, initialDelay = "PT0.2S", backoff = 2.0))
    String reserve(Order order) {
        return services.reserve(order);
    }

    @Step(semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY, retry = @Retry(maxAttempts = 1))
    String charge(Order order) {
        return services.charge(order);
    }

    @Wait
    void coolingOff(Duration duration) {}

    @Callback(timeout = "P7D")
    Decision askManager(Order order) {
        services.mail(order.manager(), "approve order " + order.id() + "? complete callback " + Durable.callbackId());
        return null;
    }

    @Step
    String ship(String reservation) {
        return services.ship(reservation);
    }

    @Step
    String refund(String payment) {
        return services.refund(payment);
    }
}
