package dev.durable.it.agent;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

/** Steps a generated proxy can override, for running proxy and agent together. */
@DurableFunction("invoice")
public class Invoice {
    @Handler
    public String handle(Order order) {
        int amount = amount(order);
        return send(order, amount);
    }

    @Step
    int amount(Order order) {
        Counters.ran("amount");
        return order.quantity() * 3;
    }

    @Step
    String send(Order order, int amount) {
        Counters.ran("send");
        return "sent " + order.id() + " " + amount;
    }
}
