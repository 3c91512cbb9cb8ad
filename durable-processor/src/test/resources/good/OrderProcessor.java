package shop;

import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.util.List;

@DurableFunction("orders")
public class OrderProcessor {
    public record Order(String id, List<String> items, int total) {}

    public record Reservation(String id) {}

    public record Decision(boolean approved) {}

    private final String warehouse;
    private final int maxItems;

    public OrderProcessor(String warehouse, int maxItems) {
        this.warehouse = warehouse;
        this.maxItems = maxItems;
    }

    @Handler
    public String handle(Order order) {
        Reservation r = reserve(order);
        int paid = charge(order);
        coolingOff();
        Decision d = askManager(order);
        return d.approved() ? r.id() + ":" + paid : "refused";
    }

    @Step(retry = @Retry(maxAttempts = 5, initialDelay = "PT1S", backoff = 2.0))
    Reservation reserve(Order o) {
        return new Reservation(warehouse + "/" + o.id());
    }

    @Step(semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY)
    protected int charge(Order o) {
        return Math.min(o.total(), maxItems);
    }

    @Wait("PT24H")
    void coolingOff() {}

    @Callback(timeout = "P7D")
    public Decision askManager(Order o) {
        return null;
    }
}
