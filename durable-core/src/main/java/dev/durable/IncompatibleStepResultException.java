package dev.durable;

/**
 * On replay, a step's journaled result does not convert to what the code now returns: its result type changed in a
 * way the journaled value does not read as, the result was journaled at a version the code has no migration from,
 * or at a version newer than the code's (older code was deployed again). Like any divergence, the execution is held
 * {@link ExecutionStatus#BLOCKED}, its journal unchanged, and it replays again once code that reads the value is
 * deployed: a new result version with a migration ({@code @Step(resultVersion = 2)} and a
 * {@code @StepMigration(step = "quote", from = 1)} method, or {@link StepConfig.Builder#migrateFrom}).
 */
public class IncompatibleStepResultException extends NonDeterministicExecutionException {
    private static final long serialVersionUID = 1L;

    /**
     * @param expected what the journal holds, e.g. {@code the result of STEP 'quote' at result version 1}
     * @param actual what the code expects, e.g. {@code a com.example.Quote at result version 2}
     */
    public IncompatibleStepResultException(
            String message,
            String executionName,
            String operationId,
            String expected,
            String actual,
            String location,
            Throwable cause) {
        super(message, executionName, operationId, expected, actual, location, cause);
    }
}
