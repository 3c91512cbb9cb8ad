package dev.durable.it.agent;

import dev.durable.Durable;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Suspends on a callback, so completing it replays the handler from the top. */
@DurableFunction("approval")
public class Approval {
    /** Callback ids, as the submitter would mail them. */
    public static final BlockingQueue<String> CALLBACKS = new LinkedBlockingQueue<>();

    @Handler
    public String handle(Order order) {
        String checked = check(order);
        boolean approved = ask(order);
        return record(checked, approved);
    }

    @Step
    private String check(Order order) {
        Counters.ran("check");
        return "checked-" + order.id();
    }

    @Callback(timeout = "PT5M")
    boolean ask(Order order) {
        Counters.ran("ask");
        CALLBACKS.add(Durable.callbackId());
        return false;
    }

    @Step
    static String record(String checked, boolean approved) {
        Counters.ran("record");
        return checked + " approved=" + approved;
    }
}
