package dev.durable;

/**
 * The callback was failed from outside ({@code failCallback(id, type, message, data)}), or its payload could not be
 * read as the awaited type. {@link #errorType()}, {@link #errorMessage()} and {@link #errorData()} hold what was sent.
 *
 * <pre>{@code
 * try {
 *     Decision d = approval.get();
 * } catch (CallbackFailedException e) {
 *     if ("Rejected".equals(e.errorType())) { ... }
 * }
 * }</pre>
 */
public class CallbackFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    /** The error type of a payload that did not convert to the awaited type (the payload is the error data). */
    public static final String PAYLOAD_NOT_CONVERTIBLE = "CallbackPayloadNotConvertible";

    private final ErrorInfo error;
    private final String errorData;

    public CallbackFailedException(String message, ErrorInfo error) {
        this(message, error, null);
    }

    public CallbackFailedException(String message, ErrorInfo error, String errorData) {
        super(message);
        this.error = error;
        this.errorData = errorData;
    }

    /** The error the callback was failed with. */
    public ErrorInfo error() {
        return error;
    }

    /** The error type sent with the failure, e.g. {@code "Rejected"}. */
    public String errorType() {
        return error == null ? null : error.type();
    }

    /** The error message sent with the failure, or {@code null}. */
    public String errorMessage() {
        return error == null ? null : error.message();
    }

    /** The error data sent with the failure (text, often JSON), or {@code null}. */
    public String errorData() {
        return errorData;
    }
}
