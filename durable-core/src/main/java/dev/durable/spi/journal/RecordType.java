package dev.durable.spi.journal;

/** What a journal record describes. Code 0 is never written, so zeroed or preallocated space never parses. */
public enum RecordType {
    /** An execution was started: function, input, start time, parent. */
    EXECUTION_STARTED(1),
    /** An operation changed state: started, succeeded, failed, retry scheduled, heartbeat. */
    OPERATION(2),
    /** An execution ended: succeeded, failed or cancelled. */
    EXECUTION_FINISHED(3),
    /** A failed execution was retried by an operator: it runs again from its last successful operation. */
    EXECUTION_RETRIED(4);

    private final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** The byte stored on disk. */
    public byte code() {
        return code;
    }

    /** The type for a stored byte, or {@code null} if it is not one. */
    public static RecordType fromCode(byte code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
