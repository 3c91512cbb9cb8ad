package dev.durable.core;

import java.time.Duration;

/**
 * Limits of a callback: {@code timeout} bounds the whole wait, {@code heartbeatTimeout} the time between
 * heartbeats (or from creation to the first). Either may be {@code null} for none. Both are durable timers.
 *
 * @param timeout overall timeout, or {@code null}
 * @param heartbeatTimeout heartbeat timeout, or {@code null}
 * @param serdes serializer for the payload, or {@code null} for the runtime's
 */
public record CallbackConfig(Duration timeout, Duration heartbeatTimeout, SerDes serdes) {
    private static final CallbackConfig NONE = new CallbackConfig(null, null, null);

    public CallbackConfig {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("callback timeout must be positive, was " + timeout);
        }
        if (heartbeatTimeout != null && (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero())) {
            throw new IllegalArgumentException("callback heartbeat timeout must be positive, was " + heartbeatTimeout);
        }
    }

    /** No timeout, no heartbeat. */
    public static CallbackConfig defaults() {
        return NONE;
    }

    /** An overall timeout. */
    public static CallbackConfig timeout(Duration timeout) {
        return new CallbackConfig(timeout, null, null);
    }

    /** The same limits with a heartbeat timeout. */
    public CallbackConfig withHeartbeatTimeout(Duration heartbeat) {
        return new CallbackConfig(timeout, heartbeat, serdes);
    }
}
