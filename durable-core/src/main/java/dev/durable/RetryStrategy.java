package dev.durable;

import java.util.SplittableRandom;

/**
 * Decides, after a failed attempt, whether a step runs again and after which durable delay.
 * {@link RetryPolicy} covers the usual exponential backoff; a lambda covers the rest.
 */
@FunctionalInterface
public interface RetryStrategy {
    /**
     * @param failure what the attempt threw ({@link StepInterruptedException} for an interrupted at-most-once attempt)
     * @param attempt the attempt that failed, starting at 1
     * @param random a random source stable across replays, for jitter
     */
    RetryDecision decide(Throwable failure, int attempt, SplittableRandom random);

    /** Never retry. */
    static RetryStrategy none() {
        return (failure, attempt, random) -> RetryDecision.fail();
    }
}
