package dev.durable.spi.journal;

/** Kinds of journaled operation; the determinism check compares them. */
public enum OpType {
    STEP,
    WAIT,
    CALLBACK,
    CONTEXT,
    PARALLEL,
    MAP,
    BRANCH,
    INVOKE,
    WAIT_FOR_CONDITION,
    NOW,
    PATCH
}
