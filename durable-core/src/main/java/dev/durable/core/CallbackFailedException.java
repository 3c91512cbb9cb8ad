package dev.durable.core;

/** The outside world failed the callback through {@code failCallback}; {@link #error()} holds what it sent. */
public class CallbackFailedException extends DurableException {
    private final ErrorInfo error;

    public CallbackFailedException(String message, ErrorInfo error) {
        super(message);
        this.error = error;
    }

    /** The error the callback was failed with. */
    public ErrorInfo error() {
        return error;
    }
}
