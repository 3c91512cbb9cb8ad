package dev.durable;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Exponential backoff: up to {@code maxAttempts} attempts, the delay after attempt {@code n} being
 * {@code min(maxDelay, initialDelay * backoff^(n-1))} less a random share of up to {@code jitter} of it.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(5).initialDelay(Duration.ofSeconds(1)).backoff(2.0)
 *     .noRetryOn(IllegalArgumentException.class).build();
 * }</pre>
 */
public final class RetryPolicy implements RetryStrategy {
    private static final RetryPolicy DEFAULT = builder().build();

    private final int maxAttempts;
    private final Duration initialDelay;
    private final double backoff;
    private final Duration maxDelay;
    private final double jitter;
    private final List<Class<? extends Throwable>> retryOn;
    private final List<Class<? extends Throwable>> noRetryOn;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialDelay = b.initialDelay;
        this.backoff = b.backoff;
        this.maxDelay = b.maxDelay;
        this.jitter = b.jitter;
        this.retryOn = List.copyOf(b.retryOn);
        this.noRetryOn = List.copyOf(b.noRetryOn);
    }

    /** Three attempts, one second initial delay, doubling, at most one minute, no jitter. */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /** A single attempt. */
    public static RetryPolicy noRetry() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public double backoff() {
        return backoff;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double jitter() {
        return jitter;
    }

    @Override
    public RetryDecision decide(Throwable failure, int attempt, SplittableRandom random) {
        if (attempt >= maxAttempts || !retryable(failure)) {
            return RetryDecision.fail();
        }
        return RetryDecision.retryAfter(delayAfter(attempt, random));
    }

    /** The delay before attempt {@code attempt + 1}. */
    Duration delayAfter(int attempt, SplittableRandom random) {
        double millis = initialDelay.toMillis() * Math.pow(backoff, attempt - 1);
        millis = Math.min(millis, maxDelay.toMillis());
        if (jitter > 0) {
            millis -= millis * jitter * random.nextDouble();
        }
        return Duration.ofMillis(Math.max(0, Math.round(millis)));
    }

    private boolean retryable(Throwable failure) {
        for (Class<? extends Throwable> c : noRetryOn) {
            if (c.isInstance(failure)) {
                return false;
            }
        }
        if (retryOn.isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> c : retryOn) {
            if (c.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", backoff=" + backoff
                + ", maxDelay=" + maxDelay + ", jitter=" + jitter + "}";
    }

    /** Builds a {@link RetryPolicy}; every setter validates its argument. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialDelay = Duration.ofSeconds(1);
        private double backoff = 2.0;
        private Duration maxDelay = Duration.ofMinutes(1);
        private double jitter;
        private List<Class<? extends Throwable>> retryOn = List.of();
        private List<Class<? extends Throwable>> noRetryOn = List.of();

        private Builder() {}

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(
                        "maxAttempts must be at least 1 (the first attempt), was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialDelay(Duration initialDelay) {
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
            }
            this.initialDelay = initialDelay;
            return this;
        }

        public Builder backoff(double backoff) {
            if (!(backoff >= 1.0)) {
                throw new IllegalArgumentException("backoff must be at least 1.0, was " + backoff);
            }
            this.backoff = backoff;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            if (maxDelay.isNegative()) {
                throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
            }
            this.maxDelay = maxDelay;
            return this;
        }

        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        @SafeVarargs
        @SuppressWarnings("varargs") // List.of copies the array; it never escapes
        public final Builder retryOn(Class<? extends Throwable>... types) {
            this.retryOn = List.of(types);
            return this;
        }

        @SafeVarargs
        @SuppressWarnings("varargs") // List.of copies the array; it never escapes
        public final Builder noRetryOn(Class<? extends Throwable>... types) {
            this.noRetryOn = List.of(types);
            return this;
        }

        public RetryPolicy build() {
            Objects.requireNonNull(initialDelay);
            return new RetryPolicy(this);
        }
    }
}
