package dev.durable;

/** The callback was already completed, failed or timed out; the late call changed nothing. */
public class CallbackAlreadyCompletedException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public CallbackAlreadyCompletedException(String message) {
        super(message);
    }
}
