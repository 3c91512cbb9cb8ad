package dev.durable;

/** Thrown by {@link Execution#result} when the execution ended in failure; {@link #error()} is the journaled error. */
public class ExecutionFailedException extends DurableException {
    private static final long serialVersionUID = 1L;

    private final ErrorInfo error;

    public ExecutionFailedException(String message, ErrorInfo error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The execution's journaled failure. */
    public ErrorInfo error() {
        return error;
    }
}
