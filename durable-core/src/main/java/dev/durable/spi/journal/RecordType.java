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
    EXECUTION_RETRIED(4),
    /**
     * A run of an execution suspended: when it is next due and which callbacks it awaits, so that opening the journal
     * again schedules the execution without replaying it. Only a hint: it describes the execution only while it is the
     * execution's last record and the records before it are the ones its run saw (see {@link SuspendedEvent}).
     * Written only to journals that {@linkplain Journal#recordsSuspensions() ask for it}; never part of a history.
     */
    EXECUTION_SUSPENDED(5);

    private final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** Whether records of this type belong to an execution's history; a suspension record is only a scheduling hint. */
    public boolean inHistory() {
        return this != EXECUTION_SUSPENDED;
    }

    /** The byte stored on disk. */
    public byte code() {
        return code;
    }

    /** The type for a stored byte, or {@code null} if it is not one. */
    public static RecordType fromCode(byte code) {
        return BY_CODE[code & 0xFF];
    }

    private static final RecordType[] BY_CODE = new RecordType[256];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code & 0xFF] = t;
        }
    }
}
