package dev.durable.core;

/** The callback was not completed within its timeout, or no heartbeat arrived within its heartbeat timeout. */
public class CallbackTimeoutException extends DurableException {
    public CallbackTimeoutException(String message) {
        super(message);
    }
}
