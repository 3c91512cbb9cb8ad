package dev.durable.systemtests.codechange;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;

/** A second release that wraps before the cooling-off without a patch: executions in flight no longer replay. */
@DurableFunction("orders")
public class OrdersBroken {
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
