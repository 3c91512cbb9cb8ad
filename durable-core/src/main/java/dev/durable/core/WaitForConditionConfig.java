package dev.durable.core;

import java.util.Objects;

/**
 * Configuration of {@link DurableContext#waitForCondition}: the state the first poll starts from and the
 * strategy that decides when to stop.
 *
 * @param initialState the state passed to the first check
 * @param waitStrategy decides after each poll
 */
public record WaitForConditionConfig<T>(T initialState, WaitStrategy<T> waitStrategy) {
    public WaitForConditionConfig {
        Objects.requireNonNull(waitStrategy, "waitStrategy");
    }

    public static <T> WaitForConditionConfig<T> of(T initialState, WaitStrategy<T> waitStrategy) {
        return new WaitForConditionConfig<>(initialState, waitStrategy);
    }
}
