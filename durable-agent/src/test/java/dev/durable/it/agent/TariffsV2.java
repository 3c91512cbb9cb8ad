package dev.durable.it.agent;

import dev.durable.Durable;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepMigration;
import java.time.Duration;

/**
 * Release 2 of function "tariffs": step 'fare', a private static method the agent alone makes durable, returns money
 * now; what release 1 journaled is converted by the migration.
 */
@DurableFunction(value = "tariffs", proxy = false)
public class TariffsV2 {
    /** What step 'fare' returns in this release. */
    public record Fare(int amount, String currency) {}

    @Handler
    public String handle(Order order) {
        Fare fare = fare(order);
        Durable.context().wait("settle", Duration.ofHours(1));
        return fare.toString();
    }

    @Step(resultVersion = 2)
    private static Fare fare(Order order) {
        Counters.ran("fare-v2");
        return new Fare(order.quantity() * 3, "CHF");
    }

    @StepMigration(step = "fare", from = 1)
    private static Fare fareFromV1(TariffsV1.FareV1 old) {
        return new Fare(old.cents() / 100, "EUR");
    }
}
