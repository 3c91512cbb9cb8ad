package dev.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * Runs durable functions: registration, executions by name, callbacks from the outside world.
 * {@code LocalRuntime} in {@code durable-runtime-local} is the embedded, file-backed implementation.
 */
public interface DurableRuntime extends AutoCloseable {
    /** The largest serialized value (input, result, payload) a runtime accepts unless configured otherwise: 256 KiB. */
    long DEFAULT_PAYLOAD_LIMIT = 256 * 1024;

    /** Registers a handler written against the context API. */
    <I, O> void register(String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler);

    /** Registers a handler whose input or output type is generic. */
    <I, O> void register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler);

    /**
     * Registers an instance of a {@code @DurableFunction} class (or its generated {@code _Durable} proxy); its
     * {@code @Handler} method becomes the function, named by the annotation or the class's simple name.
     *
     * @return the function's name
     */
    String register(Object durableFunction);

    /**
     * Starts an execution, or returns the existing one of that name when it has the same function and input.
     *
     * @throws ExecutionConflictException when the name is taken with another function or input
     * @throws UnknownExecutionException when no function of that name is registered
     */
    <O> Execution<O> start(String functionName, String executionName, Object input);

    /**
     * Starts an execution with its input as JSON, as an HTTP endpoint or a tool receives it. The input must convert
     * to the function's input type (read strictly, as callback payloads are), or nothing is started.
     *
     * @throws SerializationException if the input does not convert
     */
    <O> Execution<O> startJson(String functionName, String executionName, String inputJson);

    /** Starts an execution of the {@code @DurableFunction} class {@code functionClass}. */
    <O> Execution<O> start(Class<?> functionClass, String executionName, Object input);

    /**
     * The execution of that name.
     *
     * @throws UnknownExecutionException if there is none
     */
    <O> Execution<O> execution(String executionName);

    /** All executions known to the journal, oldest first; filtered to {@code statuses} when any are given. */
    List<ExecutionInfo> list(ExecutionStatus... statuses);

    /**
     * Cancels a running or waiting execution: it ends as {@link ExecutionStatus#CANCELLED} and its pending
     * callbacks can no longer be completed. Cancelling an ended execution changes nothing and returns false.
     */
    boolean cancel(String executionName);

    /**
     * Completes a callback with a payload; the waiting execution resumes.
     *
     * @throws UnknownCallbackException if no callback has that id
     * @throws CallbackAlreadyCompletedException if it already completed, failed or timed out
     * @throws SerializationException if the payload does not convert to the type the code waits for
     * @throws PayloadTooLargeException if the payload is over the limit
     */
    void completeCallback(String callbackId, Object payload);

    /** Completes a callback with a JSON payload, as a CLI or HTTP endpoint would receive it. */
    void completeCallbackJson(String callbackId, String json);

    /** Fails a callback: the waiting code gets a {@link CallbackFailedException} with this type and message. */
    default void failCallback(String callbackId, String errorType, String message) {
        failCallback(callbackId, errorType, message, null);
    }

    /**
     * Fails a callback with error data as well: the waiting code gets a {@link CallbackFailedException} whose
     * {@code errorType()}, {@code errorMessage()} and {@code errorData()} are these.
     *
     * @param errorData text sent with the failure (often JSON), or {@code null}
     * @throws CallbackTimeoutException if the callback timed out (its deadline passed); nothing changes
     */
    void failCallback(String callbackId, String errorType, String message, String errorData);

    /** Records a heartbeat, restarting the callback's heartbeat timeout. */
    void heartbeatCallback(String callbackId);

    /**
     * The typed history of an execution: every journaled event in order, from its start to its end.
     *
     * @throws UnknownExecutionException if there is no execution of that name
     */
    List<HistoryEvent> history(String executionName);

    /**
     * Everything the journal holds about an execution, with its live status: each operation with its attempts.
     *
     * <pre>{@code
     * ExecutionDetails d = runtime.describe("order-42");
     * d.operations().forEach(op -> System.out.println(op.id() + " " + op.name() + " " + op.status()));
     * }</pre>
     *
     * @throws UnknownExecutionException if there is no execution of that name
     */
    ExecutionDetails describe(String executionName);

    /**
     * Runs a failed execution again from its last successful operation: operations that failed are forgotten and
     * run again (with fresh attempts), everything that succeeded is replayed. A {@link ExecutionStatus#BLOCKED}
     * execution is replayed again now, with nothing journaled (after registering code that matches its history, say).
     *
     * @throws UnknownExecutionException if there is no execution of that name
     * @throws IllegalStateException if the execution has neither failed nor is blocked
     */
    <O> Execution<O> retry(String executionName);

    /**
     * Ends a {@link ExecutionStatus#BLOCKED} execution as {@link ExecutionStatus#FAILED}, when its history is not
     * worth keeping until fixed code is deployed: its error names the operator's action, {@code reason} and where
     * its replay diverged; its callers get an {@link ExecutionFailedException}, and it can be retried like any
     * failed execution.
     *
     * @param reason why the operator fails it, kept in the error (may be {@code null})
     * @throws UnknownExecutionException if there is no execution of that name
     * @throws IllegalStateException if the execution is not blocked (use {@link #cancel} to end one that runs or
     *     waits)
     */
    default void fail(String executionName, String reason) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot fail blocked executions");
    }

    /**
     * Removes executions that ended before {@code before}, with their callbacks, from the journal and from this
     * runtime. Runtimes also do this on their own after their retention period.
     *
     * @return how many executions were removed
     */
    int forgetFinished(Instant before);

    /**
     * How many unfinished executions each version of function {@code functionName} has, oldest version first: a
     * version that is no longer the newest and has none left can be removed from the code.
     */
    SortedMap<Integer, Integer> unfinishedByVersion(String functionName);

    /** The clock the runtime runs on: wall-clock time, or the {@link ManualClock} a test gave it. */
    DurableClock clock();

    /**
     * Waits until nothing can progress without time passing or the outside world acting: every execution has
     * ended or is waiting for a timer, a callback or a child. Returns false if that did not happen within
     * {@code timeout}.
     */
    boolean awaitIdle(Duration timeout);

    /** Whether the runtime takes calls: open, and not closed (health checks use it). */
    boolean isOpen();

    /** Closes the runtime; executions in flight stop at their next operation and resume when it opens again. */
    @Override
    void close();
}
