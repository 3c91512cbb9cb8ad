package dev.durable.annotations;

/** How often a step body may run for one retry attempt. */
public enum StepSemantics {
    /**
     * The default: the body runs, then its result is journaled. A crash between the two runs the body again in
     * the same attempt, so the body should be idempotent.
     */
    AT_LEAST_ONCE_PER_RETRY,
    /**
     * The start of each attempt is journaled durably before the body runs. An attempt interrupted by a crash is
     * never re-run: it fails with {@code StepInterruptedException} and goes to the retry strategy.
     */
    AT_MOST_ONCE_PER_RETRY
}
