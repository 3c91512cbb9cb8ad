package dev.durable;

/** The callback was already completed, failed or timed out; the late call changed nothing. */
public class CallbackAlreadyCompletedException extends InvalidRequestException {
    public CallbackAlreadyCompletedException(String message) {
        super(message);
    }
}
