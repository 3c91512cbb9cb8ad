package dev.durable;

/** {@link Execution#result(java.time.Duration)} gave up waiting; the execution itself goes on. */
public class ResultTimeoutException extends DurableException {
    private static final long serialVersionUID = 1L;

    public ResultTimeoutException(String message) {
        super(message);
    }
}
