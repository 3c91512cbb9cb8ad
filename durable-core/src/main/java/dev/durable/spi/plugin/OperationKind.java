package dev.durable.spi.plugin;

/** What an operation is, finer than its journal type (the sub-kind). */
public enum OperationKind {
    STEP,
    WAIT,
    CALLBACK,
    WAIT_FOR_CALLBACK,
    WAIT_FOR_CONDITION,
    CHILD_CONTEXT,
    PARALLEL,
    PARALLEL_BRANCH,
    MAP,
    MAP_ITEM,
    INVOKE
}
