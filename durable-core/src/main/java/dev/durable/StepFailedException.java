package dev.durable;

/**
 * A step failed for good. Thrown with the original exception as cause when the step body threw a checked
 * exception, and on replay when the journaled exception type cannot be rebuilt; {@link #error()} always holds
 * the journaled class, message and stack.
 */
public class StepFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    private final ErrorInfo error;

    public StepFailedException(String message, ErrorInfo error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The journaled failure. */
    public ErrorInfo error() {
        return error;
    }
}
