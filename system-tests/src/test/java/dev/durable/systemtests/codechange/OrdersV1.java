package dev.durable.systemtests.codechange;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;

/** The first release of function "orders": reserve, cool off for an hour, ship. */
@DurableFunction("orders")
public class OrdersV1 {
    @Handler
    public String handle(String order) {
        String reservation = reserve(order);
        coolOff();
        return ship(reservation);
    }

    @Step
    String reserve(String order) {
        return "R-" + order;
    }

    @Wait("PT1H")
    void coolOff() {}

    @Step
    String ship(String reservation) {
        return "v1 shipped " + reservation;
    }
}
