package dev.durable;

/** No execution (or no registered function) has the given name. */
public class UnknownExecutionException extends InvalidRequestException {
    public UnknownExecutionException(String message) {
        super(message);
    }
}
