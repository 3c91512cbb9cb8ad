package dev.durable;

/** A checkpointed value, input or callback payload is larger than the runtime's configured payload limit. */
public class PayloadTooLargeException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    public PayloadTooLargeException(String what, long size, long limit) {
        super(what + " is " + size + " bytes once serialized, over the payload limit of " + limit
                + " bytes. Store large data outside the journal (a file or object store) and checkpoint a reference,"
                + " or raise the limit with payloadLimit(...) on the runtime builder.");
        this.size = size;
        this.limit = limit;
    }

    /** Serialized size in bytes. */
    public long size() {
        return size;
    }

    /** The configured limit in bytes. */
    public long limit() {
        return limit;
    }
}
