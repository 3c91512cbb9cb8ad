package dev.durable;

/** An execution with this name already exists with a different function or input. */
public class ExecutionConflictException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    public ExecutionConflictException(String message) {
        super(message);
    }
}
