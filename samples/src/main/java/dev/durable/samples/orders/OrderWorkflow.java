package dev.durable.samples.orders;

import dev.durable.annotations.StepSemantics;
import dev.durable.core.CallbackConfig;
import dev.durable.core.CallbackTimeoutException;
import dev.durable.core.DurableContext;
import dev.durable.core.DurableHandler;
import dev.durable.core.RetryPolicy;
import dev.durable.core.StepConfig;
import java.time.Duration;

/**
 * Order processing written against the context API: reserve inventory (retried with backoff), charge the card
 * (at most once per attempt), a cooling-off period, manager approval by callback with a timeout, then ship or
 * refund. Each line is a checkpoint: after a crash the handler re-runs from the top and completed steps return
 * their journaled results instead of calling the services again.
 */
public final class OrderWorkflow implements DurableHandler<Order, Receipt> {
    public static final String NAME = "order-processing";

    private static final StepConfig RESERVE = StepConfig.builder()
            .retry(RetryPolicy.builder().maxAttempts(5).initialDelay(Duration.ofMillis(200)).backoff(2.0).build())
            .build();
    private static final StepConfig CHARGE = StepConfig.builder()
            .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
            .retry(RetryPolicy.noRetry())
            .build();

    private final Services services;
    private final Duration coolingOff;

    public OrderWorkflow(Services services, Duration coolingOff) {
        this.services = services;
        this.coolingOff = coolingOff;
    }

    @Override
    public Receipt handle(Order order, DurableContext ctx) {
        ctx.logger().info("processing order {}", order.id());
        String reservation = ctx.step("reserve", String.class, s -> services.reserve(order, s.attempt()), RESERVE);
        String payment = ctx.step("charge", String.class, s -> services.charge(order), CHARGE);

        ctx.wait("cooling-off", coolingOff);

        Decision decision;
        try {
            decision = ctx.waitForCallback("manager-approval", Decision.class,
                    (callbackId, s) -> services.mail(order.manager(), "approve order " + order.id()
                            + "? complete callback " + callbackId),
                    CallbackConfig.timeout(Duration.ofDays(7)));
        } catch (CallbackTimeoutException e) {
            decision = new Decision(false, "nobody (timed out)");
        }

        if (decision.approved()) {
            String shipment = ctx.step("ship", String.class, s -> services.ship(reservation));
            return new Receipt(order.id(), "SHIPPED", reservation, payment, shipment + ", approved by " + decision.by());
        }
        String refund = ctx.step("refund", String.class, s -> services.refund(payment));
        return new Receipt(order.id(), "REFUNDED", reservation, payment, refund + ", rejected by " + decision.by());
    }
}
