package dev.durable;

/** The body of a step. It may throw; the failure goes to the step's retry strategy. */
@FunctionalInterface
public interface StepFunction<T> {
    T apply(StepContext step) throws Exception;
}
