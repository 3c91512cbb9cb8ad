package dev.durable;

/**
 * An at-most-once step attempt started (its start was journaled) but the process stopped before its outcome was
 * journaled. The body may or may not have had its effect, so it is not run again for that attempt; this exception
 * goes to the step's retry strategy like any failure.
 */
public class StepInterruptedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    public StepInterruptedException(String message) {
        super(message);
    }
}
