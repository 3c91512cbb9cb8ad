package dev.durable;

/**
 * The caller asked for something the runtime cannot do, and nothing changed: an unknown execution or callback, a
 * name taken by another execution, a callback that already completed, a payload over the limit. The caller fixes
 * the request; the executions are unaffected.
 *
 * <pre>{@code
 * try {
 *     runtime.completeCallback(id, approval);
 * } catch (InvalidRequestException e) {
 *     return Response.status(409).entity(e.getMessage());
 * }
 * }</pre>
 */
public abstract class InvalidRequestException extends DurableException {
    private static final long serialVersionUID = 1L;

    protected InvalidRequestException(String message) {
        super(message);
    }

    protected InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
