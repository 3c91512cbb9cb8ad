package dev.durable;

/** A function started with {@code invoke} failed or was cancelled; {@link #error()} holds its failure. */
public class InvokeFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    private final ErrorInfo error;

    public InvokeFailedException(String message, ErrorInfo error) {
        super(message);
        this.error = error;
    }

    /** The child execution's failure. */
    public ErrorInfo error() {
        return error;
    }
}
