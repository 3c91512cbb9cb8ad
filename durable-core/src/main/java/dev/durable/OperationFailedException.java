package dev.durable;

/**
 * An operation the handler ran has failed for good: a step out of attempts, a callback failed by its sender, an
 * invoked execution that failed, a condition that stopped polling, a step interrupted mid-attempt. Thrown into the
 * handler, which may catch it and compensate; uncaught, it fails the execution.
 *
 * <pre>{@code
 * try {
 *     ctx.step("charge", Receipt.class, s -> payments.charge(order));
 * } catch (OperationFailedException e) {
 *     ctx.step("release", Void.class, s -> inventory.release(order));
 *     throw e;
 * }
 * }</pre>
 */
public abstract class OperationFailedException extends DurableException {
    private static final long serialVersionUID = 1L;

    protected OperationFailedException(String message) {
        super(message);
    }

    protected OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
