package dev.durable.samples.postgres;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.time.Duration;

/**
 * An order: reserve, charge the card at most once, a short cooling-off wait (no worker holds the order meanwhile),
 * ship. Any worker may run any part of it.
 */
@DurableFunction("checkout")
public class Checkout {
    private final Ledger ledger;

    public Checkout(Ledger ledger) {
        this.ledger = ledger;
    }

    @Handler
    public String handle(String order) {
        String reservation = reserve(order);
        String payment = charge(order);
        coolingOff(Duration.ofSeconds(1));
        return ship(reservation) + " paid by " + payment;
    }

    @Step
    String reserve(String order) {
        return ledger.reserve(order);
    }

    /** Never charged twice: an attempt cut short by a crash is not retried; the order then fails for a human to check. */
    @Step(semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY, retry = @Retry(maxAttempts = 1))
    String charge(String order) {
        return ledger.charge(order, 4200);
    }

    @Wait
    void coolingOff(Duration duration) {}

    @Step
    String ship(String reservation) {
        return ledger.ship(reservation);
    }
}
