package dev.durable;

/**
 * On replay, the code performed a different operation than the journal holds at the same position: the handler
 * changed in a way that breaks executions already in flight, or it depends on something that is not replayed
 * (time, randomness, I/O outside steps). The execution is held {@link ExecutionStatus#BLOCKED}, not failed: nothing
 * in the journal is changed, and it replays again once code that matches its history is deployed.
 */
public class NonDeterministicExecutionException extends DurableException {
    private static final long serialVersionUID = 1L;

    private final String executionName;
    private final String operationId;
    private final String expected;
    private final String actual;
    private final String location;

    public NonDeterministicExecutionException(
            String executionName, String operationId, String expected, String actual, String location) {
        this(
                "Non-deterministic replay of execution '" + executionName + "' at operation " + operationId
                        + ": the journal holds " + expected + " but the code now performs " + actual
                        + (location == null ? "" : " (at " + location + ")")
                        + ". Keep the order, types and names of durable operations stable for executions in flight, or"
                        + " guard a change with ctx.patched(\"<change>\") (new operations may only be added unguarded"
                        + " after the last one they reached), and take time, randomness and I/O"
                        + " from steps or ctx.now()/ctx.random().",
                executionName,
                operationId,
                expected,
                actual,
                location,
                null);
    }

    /** For a subclass that tells what diverged in its own words. */
    protected NonDeterministicExecutionException(
            String message,
            String executionName,
            String operationId,
            String expected,
            String actual,
            String location,
            Throwable cause) {
        super(message, cause);
        this.executionName = executionName;
        this.operationId = operationId;
        this.expected = expected;
        this.actual = actual;
        this.location = location;
    }

    /** The execution whose replay diverged. */
    public String executionName() {
        return executionName;
    }

    /** The operation id where it diverged, e.g. {@code 3} or {@code 2/1}. */
    public String operationId() {
        return operationId;
    }

    /** What the journal holds at {@link #operationId()}, e.g. {@code STEP 'charge'}. */
    public String expected() {
        return expected;
    }

    /** What the code performed there instead, e.g. {@code STEP 'reserve'}. */
    public String actual() {
        return actual;
    }

    /** The user code that performed it ({@code Class.method(File.java:12)}), or {@code null} if unknown. */
    public String location() {
        return location;
    }
}
