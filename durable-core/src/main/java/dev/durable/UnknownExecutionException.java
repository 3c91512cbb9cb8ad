package dev.durable;

/** No execution (or no registered function) has the given name. */
public class UnknownExecutionException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public UnknownExecutionException(String message) {
        super(message);
    }
}
