package shop;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Generic class, generic methods and generic constructors. */
@DurableFunction
public class Inventory<K extends Comparable<K>, V> {
    private final Map<K, V> stock;

    public <M extends Map<K, V>> Inventory(M stock) {
        this.stock = stock;
    }

    @Handler
    public V handle(K key) {
        return lookup(key);
    }

    @Step
    V lookup(K key) {
        return stock.get(key);
    }

    @Step
    public Map<K, V> snapshot() {
        return Map.copyOf(stock);
    }

    @Step
    <T> List<T> convert(List<? extends V> values, Function<? super V, T> mapper) {
        return values.stream().<T>map(mapper).toList();
    }

    @Step
    List<?> keys() {
        return List.copyOf(stock.keySet());
    }
}
