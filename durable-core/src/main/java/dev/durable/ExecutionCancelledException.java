package dev.durable;

/** The execution was cancelled; thrown by {@link Execution#result}. */
public class ExecutionCancelledException extends DurableException {
    public ExecutionCancelledException(String message) {
        super(message);
    }
}
