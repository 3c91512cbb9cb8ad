package shop;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.util.List;
import java.util.Map;

/** A handler whose input and output are generic types: its starters keep them. */
@DurableFunction("shipments")
public class Shipments {
    public record Item(String sku, int quantity) {}

    public record Parcel(String id, List<Item> items) {}

    @Handler
    public Map<String, List<Parcel>> handle(List<Item> items) {
        return Map.of("default", List.of(pack(items)));
    }

    @Step
    Parcel pack(List<Item> items) {
        return new Parcel("P-" + items.size(), items);
    }
}
