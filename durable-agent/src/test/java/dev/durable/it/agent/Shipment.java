package dev.durable.it.agent;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.util.concurrent.CountDownLatch;

/**
 * Steps of every kind a proxy cannot reach: private, final and static, all called through {@code this}; and one
 * called through a generic interface, that is through the bridge method javac writes.
 */
@DurableFunction("shipment")
public class Shipment implements Pricing<Quote> {
    /** When true, the last step blocks after announcing that the earlier steps are acknowledged. */
    public static final String HOLD_PROPERTY = "durable.it.hold";

    @Handler
    public String handle(Order order) throws InterruptedException {
        String reservation = reserve(order);
        int price = price(order);
        String label = label(order.id());
        Pricing<Quote> pricing = this;
        Quote quote = pricing.quote(order);
        String shipped = ship(reservation);
        return reservation + " " + price + " " + label + " " + quote.amount() + " " + shipped;
    }

    @Step
    private String reserve(Order order) {
        Counters.ran("reserve");
        return "reserved-" + order.id();
    }

    @Step
    final int price(Order order) {
        Counters.ran("price");
        return order.quantity() * 7;
    }

    @Step
    static String label(String id) {
        Counters.ran("label");
        return "label-" + id;
    }

    @Step
    @Override
    public Quote quote(Order order) {
        Counters.ran("quote");
        return new Quote(order.quantity() * 11);
    }

    @Step
    String ship(String reservation) throws InterruptedException {
        Counters.ran("ship");
        // an earlier step's checkpoint is acknowledged before the next step starts
        System.out.println("ACKNOWLEDGED reserve price label quote");
        System.out.flush();
        if (Boolean.getBoolean(HOLD_PROPERTY)) {
            new CountDownLatch(1).await();
        }
        return "shipped-" + reservation;
    }
}
