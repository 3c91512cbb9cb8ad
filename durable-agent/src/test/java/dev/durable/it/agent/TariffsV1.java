package dev.durable.it.agent;

import dev.durable.Durable;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.time.Duration;

/** Release 1 of function "tariffs": step 'fare' returns a price in cents, then the execution waits an hour. */
@DurableFunction(value = "tariffs", proxy = false)
public class TariffsV1 {
    /** What step 'fare' returns in this release. */
    public record FareV1(int cents) {}

    @Handler
    public String handle(Order order) {
        FareV1 fare = fare(order);
        Durable.context().wait("settle", Duration.ofHours(1));
        return fare.toString();
    }

    @Step
    private FareV1 fare(Order order) {
        Counters.ran("fare-v1");
        return new FareV1(order.quantity() * 250);
    }
}
