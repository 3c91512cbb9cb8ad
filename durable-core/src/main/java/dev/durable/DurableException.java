package dev.durable;

/** Base of the exceptions this library throws; each message says what happened, where, and what to do. */
public class DurableException extends RuntimeException {
    public DurableException(String message) {
        super(message);
    }

    public DurableException(String message, Throwable cause) {
        super(message, cause);
    }
}
