package dev.durable.spi.plugin;

/** What a suspended run waits for. */
public enum SuspendReason {
    /** A durable timer ({@code wait}, {@code @Wait}). */
    WAIT,
    /** The delay before a step's next attempt. */
    RETRY,
    /** The delay before the next poll of {@code waitForCondition}. */
    CONDITION,
    /** A callback's completion, failure or timeout. */
    CALLBACK,
    /** The end of an invoked execution. */
    INVOKE
}
