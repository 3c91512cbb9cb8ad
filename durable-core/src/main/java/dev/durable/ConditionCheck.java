package dev.durable;

/** One poll of {@code waitForCondition}: reads the outside world and returns the new state. */
@FunctionalInterface
public interface ConditionCheck<T> {
    T check(T state, StepContext step) throws Exception;
}
