package dev.durable;

import java.util.Objects;

/**
 * Configuration of {@link DurableContext#waitForCondition}: the state the first poll starts from, the strategy that
 * decides when to stop, and the serializer of the state (journaled after every poll).
 *
 * @param initialState the state passed to the first check
 * @param waitStrategy decides after each poll
 * @param serdes the state's serializer, or {@code null} for the runtime's
 */
public record WaitForConditionConfig<T>(T initialState, WaitStrategy<T> waitStrategy, SerDes serdes) {
    public WaitForConditionConfig {
        Objects.requireNonNull(waitStrategy, "waitStrategy must not be null");
    }

    public WaitForConditionConfig(T initialState, WaitStrategy<T> waitStrategy) {
        this(initialState, waitStrategy, null);
    }

    public static <T> WaitForConditionConfig<T> of(T initialState, WaitStrategy<T> waitStrategy) {
        return new WaitForConditionConfig<>(initialState, waitStrategy, null);
    }

    /** The same configuration with its own serializer for the state. */
    public WaitForConditionConfig<T> withSerDes(SerDes serdes) {
        return new WaitForConditionConfig<>(initialState, waitStrategy, serdes);
    }
}
