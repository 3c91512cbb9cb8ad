package dev.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The durable operations available to a handler. Each call is an operation with a deterministic id (its position
 * in the context: {@code 1}, {@code 2}, {@code 2/1} inside child context {@code 2}); a completed operation is
 * replayed from the journal instead of running again. On replay the type and name at each id must match the
 * journal, or the execution fails with {@link NonDeterministicExecutionException}.
 *
 * <p>Names follow {@link Names}: well-formed Unicode, no control characters, at most {@value Names#MAX_LENGTH}
 * characters. An operation name may be {@code null}: the operation is then identified by its id alone.
 *
 * <p>Every value an operation returns is the value its checkpoint holds: the result is serialized, journaled and
 * read back, so the first run sees exactly what a replay sees. A value that does not read back fails the operation.
 *
 * <p>Operations that wait (timers, callbacks, retry delays, polling, invoked functions) suspend the execution:
 * the handler unwinds with an {@link Error} that {@code catch (Exception e)} cannot swallow, no thread is held,
 * and the handler re-runs from the top when the wait is over, also after a restart.
 *
 * <p>A context is used by one thread at a time; for concurrency use {@link #parallel} and {@link #map}, whose
 * branches each get a child context of their own.
 */
public interface DurableContext {
    /** The longest a wait, callback timeout or retry delay may last: 366 days. */
    Duration MAX_WAIT = Duration.ofDays(366);

    /** The name the execution was started with. */
    String executionName();

    /** Runs {@code fn} as a checkpointed step with the default configuration (retries included). */
    <T> T step(String name, Class<T> type, StepFunction<T> fn);

    /** Runs {@code fn} as a checkpointed step. */
    <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config);

    /** Runs {@code fn} as a checkpointed step whose result has a generic type. */
    <T> T step(String name, TypeToken<T> type, StepFunction<T> fn);

    /** Runs {@code fn} as a checkpointed step whose result has a generic type. */
    <T> T step(String name, TypeToken<T> type, StepFunction<T> fn, StepConfig config);

    /** Suspends the execution for {@code duration} (at most one year). */
    void wait(String name, Duration duration);

    /** Suspends the execution until {@code instant} (at most one year ahead). */
    void waitUntil(String name, Instant instant);

    /** Creates a callback whose id can be handed to the outside world; {@link DurableCallback#get()} waits for it. */
    <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config);

    /** Creates a callback with a payload of generic type. */
    <T> DurableCallback<T> createCallback(String name, TypeToken<T> type, CallbackConfig config);

    /**
     * Creates a callback, runs {@code submitter} as a step with its id, and waits for the payload.
     *
     * <pre>{@code
     * Decision d = ctx.waitForCallback("approval", Decision.class,
     *         (id, step) -> mailer.send(manager, "Approve: " + id), CallbackConfig.timeout(Duration.ofDays(7)));
     * }</pre>
     */
    <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config);

    /** {@link #waitForCallback(String, Class, CallbackSubmitter, CallbackConfig)} with a generic payload type. */
    <T> T waitForCallback(String name, TypeToken<T> type, CallbackSubmitter submitter, CallbackConfig config);

    /**
     * Polls {@code check} with durable waits in between until the strategy says stop, and returns the last state.
     *
     * @throws WaitForConditionFailedException when the strategy gives up
     */
    <T> T waitForCondition(String name, Class<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config);

    /** {@link #waitForCondition(String, Class, ConditionCheck, WaitForConditionConfig)} with a generic state type. */
    <T> T waitForCondition(String name, TypeToken<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config);

    /** Runs {@code fn} in a child context whose operations are numbered under this one; its result is checkpointed. */
    <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn);

    /** {@link #runInChildContext(String, Class, ContextFunction)} with a generic result type. */
    <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn);

    /**
     * Runs {@code fn} in a child context with its own configuration (the result's serializer). A result too large for
     * the payload limit is not a failure: it is rebuilt on replay by running {@code fn} again, its operations replayed.
     */
    <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn, ChildContextConfig config);

    /** {@link #runInChildContext(String, Class, ContextFunction, ChildContextConfig)} with a generic result type. */
    <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn, ChildContextConfig config);

    /**
     * Runs {@code branches} concurrently, each in a child context; a branch that waits does not block the others.
     * The outcome of every branch is checkpointed and reported in order.
     */
    <T> BatchResult<T> parallel(String name, Class<T> type, List<ContextFunction<T>> branches, ParallelConfig config);

    /** {@link #parallel(String, Class, List, ParallelConfig)} with a generic result type. */
    <T> BatchResult<T> parallel(
            String name, TypeToken<T> type, List<ContextFunction<T>> branches, ParallelConfig config);

    /** Applies {@code fn} to each item concurrently, each in a child context; results are reported in item order. */
    <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn, ParallelConfig config);

    /** {@link #map(String, List, Class, MapFunction, ParallelConfig)} with a generic result type. */
    <I, O> BatchResult<O> map(
            String name, List<I> items, TypeToken<O> type, MapFunction<I, O> fn, ParallelConfig config);

    /**
     * Runs the registered function {@code functionName} as a child execution and waits durably for its result.
     *
     * @throws InvokeFailedException when the child fails or is cancelled
     */
    <T> T invoke(String name, String functionName, Object input, Class<T> type);

    /** {@link #invoke(String, String, Object, Class)} with a generic result type. */
    <T> T invoke(String name, String functionName, Object input, TypeToken<T> type);

    /** {@link #invoke(String, String, Object, Class)} with serializers of its own for the payload and the result. */
    <T> T invoke(String name, String functionName, Object input, Class<T> type, InvokeConfig config);

    /** {@link #invoke(String, String, Object, Class, InvokeConfig)} with a generic result type. */
    <T> T invoke(String name, String functionName, Object input, TypeToken<T> type, InvokeConfig config);

    /**
     * Whether this execution takes the new path of a code change, for changing code while executions are in flight:
     * <pre>{@code
     * if (ctx.patched("send-sms")) {
     *     ctx.step("sms", Void.class, s -> sms.send(order));
     * }
     * }</pre>
     * An execution that already ran past this point before the change replays the old path ({@code false});
     * every other one, including an old execution that reaches this point for the first time, takes the new path
     * ({@code true}). The decision is journaled, so it never changes for an execution, and the patch does not shift
     * the ids of the operations around it. Once no execution that took the old path remains, replace the call by
     * {@link #deprecatePatch} and keep only the new path.
     */
    boolean patched(String patchId);

    /**
     * Marks a patch whose old path is gone: executions that took the new path replay unchanged; one that took the old
     * path fails with {@link NonDeterministicExecutionException} naming the patch. Remove the call once none remain.
     */
    void deprecatePatch(String patchId);

    /** The current time, checkpointed so replays see the same instant. */
    Instant now();

    /** A random source seeded from the execution and context, so replays draw the same numbers in the same order. */
    Random random();

    /** A random UUID drawn from {@link #random()}: the same on every replay. */
    UUID uuid();

    /** Whether the next operation of this context is already in the journal (the handler is catching up). */
    boolean isReplaying();

    /**
     * A logger that stays silent while replaying, so each line is emitted once, with {@code durable.execution}
     * and {@code durable.operation} in the MDC.
     */
    Logger logger();
}
