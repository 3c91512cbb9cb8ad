package dev.durable.spi.plugin;

/**
 * Sees inside running executions: tracing, metrics, audit. Every hook does nothing by default; override the ones you
 * need. Hooks run on the engine's threads while the execution waits for them, so keep them short.
 *
 * <p>Rules the engine keeps for every plugin:
 * <ul>
 *   <li>An invocation is one run of the handler from the top, between suspensions. {@link
 *       InvocationStart#firstInvocation()} is true for the run that finds no operation in the journal.</li>
 *   <li>An operation already finished in the journal when an invocation begins fires nothing; an unfinished one fires
 *       {@link #onOperationStart} again with {@code replay = true}.</li>
 *   <li>{@link #onOperationEnd} fires once per operation over the whole execution, when its final outcome is
 *       journaled (in the invocation, or from outside for callbacks); a failed attempt that will be retried is an
 *       {@link #onAttemptEnd}, not an end.</li>
 *   <li>A plugin never changes an outcome: an exception from a hook is logged once per plugin and hook and swallowed,
 *       and the other plugins still receive the hook.</li>
 * </ul>
 *
 * <p>Register one with {@code DurableEngine.builder().plugin(p)} or {@code LocalRuntime.builder(dir).plugin(p)}; with
 * {@code discoverPlugins()} the runtime also loads every {@code DurablePlugin} listed under
 * {@code META-INF/services}. Discovery is opt-in, so a jar on the class path never adds work nobody asked for.
 */
public interface DurablePlugin {

    /**
     * Whether this plugin wants the invocation, operation, attempt and change hooks of {@code execution}; asked once
     * per execution in each process that runs it, before its first hook of those. {@code false} skips them all, and
     * when no plugin wants them the engine builds none of their information: this is how a tracer samples. The
     * execution's start and end, and journal commits, are reported to every plugin regardless. Answer the same in
     * every process (decide from the execution's identity), so an execution is observed everywhere or nowhere.
     * Default: true.
     */
    default boolean observes(ExecutionRef execution) {
        return true;
    }

    /** An execution was journaled as started (not when an existing one is found by name). */
    default void onExecutionStart(ExecutionRef execution) {}

    /** An execution ended: succeeded, failed or was cancelled. Fires once, when its end is journaled. */
    default void onExecutionEnd(ExecutionEnd end) {}

    /** A run of the handler begins. */
    default void onInvocationStart(InvocationStart start) {}

    /** A run of the handler ended: the execution is still pending (suspended), or it succeeded or failed. */
    default void onInvocationEnd(InvocationEnd end) {}

    /** An operation begins in this invocation, for the first time or again while it is unfinished. */
    default void onOperationStart(OperationStart start) {}

    /** An operation has its final outcome, journaled. */
    default void onOperationEnd(OperationEnd end) {}

    /** User code runs: a step attempt, a poll of waitForCondition, the body of a child context, branch or map item. */
    default void onAttemptStart(AttemptStart start) {}

    /** User code that {@link #onAttemptStart} announced has run, with its outcome. */
    default void onAttemptEnd(AttemptEnd end) {}

    /** The journal acknowledged a write: the operations it changed. */
    default void onOperationChange(OperationChange change) {}

    /**
     * The journal made a group of records durable (journals that commit in groups: the file journal in {@code SYNC}
     * and {@code BATCHED} mode, PostgreSQL). Runs on the thread that committed, once the records are durable, while
     * the next group waits: keep it shorter still than the other hooks.
     */
    default void onJournalCommit(JournalCommit commit) {}
}
