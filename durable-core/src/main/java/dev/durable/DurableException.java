package dev.durable;

/**
 * Base of the exceptions this library throws; each message says what happened, where, and what to do. They fall
 * into groups by who must act:
 *
 * <ul>
 *   <li>{@link OperationFailedException}: an operation inside a handler failed for good; the handler may catch it
 *       ({@link StepFailedException}, {@link CallbackFailedException}, {@link InvokeFailedException},
 *       {@link WaitForConditionFailedException}, {@link StepInterruptedException});</li>
 *   <li>{@link InvalidRequestException}: a caller's request could not be carried out and changed nothing
 *       ({@link UnknownExecutionException}, {@link UnknownCallbackException}, {@link ExecutionConflictException},
 *       {@link CallbackAlreadyCompletedException} and its {@link CallbackTimeoutException},
 *       {@link PayloadTooLargeException});</li>
 *   <li>outcomes a caller waiting for a result receives: {@link ExecutionFailedException},
 *       {@link ExecutionCancelledException}, {@link ResultTimeoutException};</li>
 *   <li>for the operator: {@link JournalException} (the journal is damaged or cannot write) and
 *       {@link NonDeterministicExecutionException} (the code no longer matches an execution's history; a step
 *       result it no longer reads is an {@link IncompatibleStepResultException});</li>
 *   <li>{@link SerializationException}: a value does not convert to or from its journaled form, as a caller's
 *       payload or as an operation's result.</li>
 * </ul>
 */
public class DurableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DurableException(String message) {
        super(message);
    }

    public DurableException(String message, Throwable cause) {
        super(message, cause);
    }
}
