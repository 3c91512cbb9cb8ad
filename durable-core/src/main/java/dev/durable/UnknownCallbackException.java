package dev.durable;

/** No pending or finished callback has the given id in this runtime's journal. */
public class UnknownCallbackException extends InvalidRequestException {
    public UnknownCallbackException(String message) {
        super(message);
    }
}
