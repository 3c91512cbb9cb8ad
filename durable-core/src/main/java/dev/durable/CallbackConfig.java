package dev.durable;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and serialization of a callback. {@code timeout} bounds the whole wait and {@code heartbeatTimeout} the time
 * between heartbeats (or from creation to the first); each is a durable timer of its own that fires at its due time
 * whatever the handler is doing, after which completions and heartbeats are refused with
 * {@link CallbackTimeoutException}. {@code serdes} reads the payload; {@code submitterRetry} retries the submitter of
 * {@code waitForCallback} (and the body of an {@code @Callback} method) like a step's retry policy, by default
 * {@link RetryPolicy#defaults()}.
 *
 * <pre>{@code
 * CallbackConfig config = CallbackConfig.builder()
 *         .timeout(Duration.ofDays(7))
 *         .heartbeatTimeout(Duration.ofHours(1))
 *         .submitterRetry(RetryPolicy.builder().maxAttempts(5).build())
 *         .build();
 * }</pre>
 */
public final class CallbackConfig {
    private static final CallbackConfig NONE = builder().build();

    private final Duration timeout;
    private final Duration heartbeatTimeout;
    private final SerDes serdes;
    private final RetryStrategy submitterRetry;

    private CallbackConfig(Builder b) {
        this.timeout = b.timeout;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.serdes = b.serdes;
        this.submitterRetry = b.submitterRetry;
    }

    /** No timeout, no heartbeat, the runtime's serializer, the default submitter retries. */
    public static CallbackConfig defaults() {
        return NONE;
    }

    /** An overall timeout. */
    public static CallbackConfig timeout(Duration timeout) {
        return builder().timeout(timeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeout = timeout;
        b.heartbeatTimeout = heartbeatTimeout;
        b.serdes = serdes;
        b.submitterRetry = submitterRetry;
        return b;
    }

    /** The same limits with a heartbeat timeout. */
    public CallbackConfig withHeartbeatTimeout(Duration heartbeat) {
        return toBuilder().heartbeatTimeout(heartbeat).build();
    }

    /** The overall timeout, or {@code null} for none. */
    public Duration timeout() {
        return timeout;
    }

    /** The heartbeat timeout, or {@code null} for none. */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** The payload's serializer, or {@code null} for the runtime's (which reads callback payloads strictly). */
    public SerDes serdes() {
        return serdes;
    }

    /** How a failing submitter is retried. */
    public RetryStrategy submitterRetry() {
        return submitterRetry;
    }

    @Override
    public String toString() {
        return "CallbackConfig{timeout=" + timeout + ", heartbeatTimeout=" + heartbeatTimeout + "}";
    }

    /** Builds a {@link CallbackConfig}; every setter validates its argument. */
    public static final class Builder {
        private Duration timeout;
        private Duration heartbeatTimeout;
        private SerDes serdes;
        private RetryStrategy submitterRetry = RetryPolicy.defaults();

        private Builder() {}

        /** The overall timeout, positive and at most one year; {@code null} for none. */
        public Builder timeout(Duration timeout) {
            this.timeout = checked("timeout", timeout);
            return this;
        }

        /** The longest gap between heartbeats, positive and at most one year; {@code null} for none. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = checked("heartbeat timeout", heartbeatTimeout);
            return this;
        }

        public Builder serdes(SerDes serdes) {
            this.serdes = serdes;
            return this;
        }

        public Builder submitterRetry(RetryStrategy retry) {
            this.submitterRetry = Objects.requireNonNull(retry, "submitterRetry must not be null");
            return this;
        }

        public CallbackConfig build() {
            return new CallbackConfig(this);
        }

        private static Duration checked(String what, Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("callback " + what + " must be positive, was " + d);
            }
            if (d != null && d.compareTo(DurableContext.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("callback " + what + " must be at most one year ("
                        + DurableContext.MAX_WAIT.toDays() + " days), was " + d);
            }
            return d;
        }
    }
}
