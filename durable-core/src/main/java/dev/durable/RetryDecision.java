package dev.durable;

import java.time.Duration;

/**
 * What a {@link RetryStrategy} decided after a failed attempt.
 *
 * @param retry whether to run another attempt
 * @param delay how long to wait (durably) before it
 */
public record RetryDecision(boolean retry, Duration delay) {
    /** Give up: the step fails with the attempt's exception. */
    public static RetryDecision fail() {
        return new RetryDecision(false, Duration.ZERO);
    }

    /** Retry after {@code delay}. */
    public static RetryDecision retryAfter(Duration delay) {
        return new RetryDecision(true, delay);
    }
}
