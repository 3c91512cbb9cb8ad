package dev.durable;

/** No execution (or no registered function) has the given name. */
public class UnknownExecutionException extends DurableException {
    public UnknownExecutionException(String message) {
        super(message);
    }
}
