package dev.durable;

/** The execution was cancelled; thrown by {@link Execution#result}. */
public class ExecutionCancelledException extends DurableException {
    private static final long serialVersionUID = 1L;

    public ExecutionCancelledException(String message) {
        super(message);
    }
}
