package dev.durable.systemtests.codechange;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;

/** A second release as a new version, registered beside {@link OrdersV1}: wraps unguarded. */
@DurableFunction(value = "orders", version = 2)
public class OrdersV2Pinned {
    @Handler
    public String handle(String order) {
        String reservation = reserve(order);
        String wrapped = wrap(reservation);
        coolOff();
        return ship(reservation) + " " + wrapped;
    }

    @Step
    String reserve(String order) {
        return "R-" + order;
    }

    @Step
    String wrap(String reservation) {
        return "wrapped";
    }

    @Wait("PT1H")
    void coolOff() {}

    @Step
    String ship(String reservation) {
        return "v2 shipped " + reservation;
    }
}
