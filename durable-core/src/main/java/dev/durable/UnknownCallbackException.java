package dev.durable;

/** No pending or finished callback has the given id in this runtime's journal. */
public class UnknownCallbackException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public UnknownCallbackException(String message) {
        super(message);
    }
}
