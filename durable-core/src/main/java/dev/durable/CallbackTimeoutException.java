package dev.durable;

/**
 * A callback passed its timeout, or no heartbeat arrived within its heartbeat timeout. The handler waiting for it
 * gets this from {@link DurableCallback#get()}; a completion or heartbeat sent after the deadline is refused with it
 * and changes nothing.
 */
public class CallbackTimeoutException extends CallbackAlreadyCompletedException {
    private static final long serialVersionUID = 1L;

    public CallbackTimeoutException(String message) {
        super(message);
    }
}
