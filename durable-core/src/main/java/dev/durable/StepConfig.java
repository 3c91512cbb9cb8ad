package dev.durable;

import dev.durable.annotations.StepSemantics;
import java.util.Objects;

/**
 * How a step runs: retry strategy, at-least-once or at-most-once semantics, and serializer.
 *
 * <pre>{@code
 * StepConfig.builder().retry(RetryPolicy.builder().maxAttempts(5).build())
 *     .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY).build();
 * }</pre>
 */
public final class StepConfig {
    private static final StepConfig DEFAULT = builder().build();

    private final RetryStrategy retry;
    private final StepSemantics semantics;
    private final SerDes serdes;

    private StepConfig(Builder b) {
        this.retry = b.retry;
        this.semantics = b.semantics;
        this.serdes = b.serdes;
    }

    /** {@link RetryPolicy#defaults()}, at-least-once, the runtime's serializer. */
    public static StepConfig defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    public RetryStrategy retry() {
        return retry;
    }

    public StepSemantics semantics() {
        return semantics;
    }

    /** The step's own serializer, or {@code null} for the runtime's. */
    public SerDes serdes() {
        return serdes;
    }

    /** Builds a {@link StepConfig}. */
    public static final class Builder {
        private RetryStrategy retry = RetryPolicy.defaults();
        private StepSemantics semantics = StepSemantics.AT_LEAST_ONCE_PER_RETRY;
        private SerDes serdes;

        private Builder() {}

        public Builder retry(RetryStrategy retry) {
            this.retry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        public Builder semantics(StepSemantics semantics) {
            this.semantics = Objects.requireNonNull(semantics, "semantics must not be null");
            return this;
        }

        public Builder serdes(SerDes serdes) {
            this.serdes = serdes;
            return this;
        }

        public StepConfig build() {
            return new StepConfig(this);
        }
    }
}
