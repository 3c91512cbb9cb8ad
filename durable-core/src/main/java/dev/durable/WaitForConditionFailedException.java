package dev.durable;

/** A {@code waitForCondition} gave up: its wait strategy ran out of attempts before the condition was met. */
public class WaitForConditionFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    public WaitForConditionFailedException(String message) {
        super(message);
    }
}
