package dev.durable;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Decides after each poll of {@code waitForCondition} whether to stop, poll again after a delay, or give up.
 *
 * <pre>{@code
 * WaitStrategy.until((Job j) -> j.done()).maxAttempts(20).initialDelay(Duration.ofSeconds(5)).backoff(1.5)
 * }</pre>
 */
@FunctionalInterface
public interface WaitStrategy<T> {
    /**
     * @param state the state the last poll returned
     * @param attempt the number of polls so far, starting at 1
     */
    WaitDecision decide(T state, int attempt);

    /** Polls until {@code done} holds, with exponential delays (defaults: 60 attempts, 5 s, x1.5, at most 5 min). */
    static <T> Exponential<T> until(Predicate<T> done) {
        return new Exponential<>(done, 60, Duration.ofSeconds(5), 1.5, Duration.ofMinutes(5));
    }

    /** The usual polling strategy; each setter returns a new instance. */
    record Exponential<T>(Predicate<T> done, int maxAttempts, Duration initialDelay, double backoff, Duration maxDelay)
            implements WaitStrategy<T> {
        public Exponential<T> maxAttempts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + n);
            }
            return new Exponential<>(done, n, initialDelay, backoff, maxDelay);
        }

        public Exponential<T> initialDelay(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("initialDelay must not be negative, was " + d);
            }
            return new Exponential<>(done, maxAttempts, d, backoff, maxDelay);
        }

        public Exponential<T> backoff(double b) {
            if (!(b >= 1.0)) {
                throw new IllegalArgumentException("backoff must be at least 1.0, was " + b);
            }
            return new Exponential<>(done, maxAttempts, initialDelay, b, maxDelay);
        }

        public Exponential<T> maxDelay(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("maxDelay must not be negative, was " + d);
            }
            return new Exponential<>(done, maxAttempts, initialDelay, backoff, d);
        }

        @Override
        public WaitDecision decide(T state, int attempt) {
            if (done.test(state)) {
                return WaitDecision.stop();
            }
            if (attempt >= maxAttempts) {
                return WaitDecision.giveUp("condition not met after " + attempt + " attempts");
            }
            double millis = Math.min(initialDelay.toMillis() * Math.pow(backoff, attempt - 1), maxDelay.toMillis());
            return WaitDecision.continueAfter(Duration.ofMillis(Math.round(millis)));
        }
    }
}
