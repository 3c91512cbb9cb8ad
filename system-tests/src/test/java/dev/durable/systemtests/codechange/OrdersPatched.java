package dev.durable.systemtests.codechange;

import dev.durable.Durable;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;

/**
 * A second release that gift-wraps before the cooling-off, guarded by a patch: executions that already reached the
 * cooling-off keep the old path; new ones wrap. Also the fix of {@link OrdersBroken} (the "v3" deploy).
 */
@DurableFunction("orders")
public class OrdersPatched {
    private final String release;

    public OrdersPatched(String release) {
        this.release = release;
    }

    @Handler
    public String handle(String order) {
        String reservation = reserve(order);
        String wrapped = Durable.patched("gift-wrap") ? " " + wrap(reservation) : "";
        coolOff();
        return ship(reservation) + wrapped;
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
        return release + " shipped " + reservation;
    }
}
