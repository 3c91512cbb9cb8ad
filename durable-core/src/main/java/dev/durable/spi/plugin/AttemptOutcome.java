package dev.durable.spi.plugin;

/** How a run of user code ended. */
public enum AttemptOutcome {
    SUCCEEDED,
    /** Failed, and its operation failed with it. */
    FAILED,
    /** Failed, and another attempt follows after a durable delay. */
    RETRYING,
    /** A poll whose condition is not met yet: another poll follows. */
    POLLING,
    /** The body waits for a timer, callback or child: it runs again when the execution resumes. */
    SUSPENDED
}
