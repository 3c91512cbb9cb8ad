package dev.durable.testing;

import dev.durable.ErrorInfo;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.OperationInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * One execution of a {@link DurableTestRuntime}, for driving and inspection. It follows the execution by name, so
 * it stays valid across {@link DurableTestRuntime#restart()}.
 *
 * <pre>{@code
 * TestExecution<Receipt> ex = rt.run(rt.start("orders", "order-42", order));
 * assertThat(ex.operation("reserve").attempts()).isEqualTo(2);          // failed once, retried after its delay
 * assertThat(ex.operation("coolingOff").waitDuration()).isEqualTo(Duration.ofHours(24));
 * ex.completeCallback("askManager", new Decision(true));
 * assertThat(ex.run().result().approved()).isTrue();
 * }</pre>
 *
 * @param <O> the function's result type
 */
public final class TestExecution<O> implements Execution<O> {
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(10);

    private final DurableTestRuntime runtime;
    private final String name;

    TestExecution(DurableTestRuntime runtime, String name) {
        this.runtime = runtime;
        this.name = name;
    }

    private Execution<O> live() {
        return runtime.runtime().execution(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String function() {
        return live().function();
    }

    @Override
    public ExecutionStatus status() {
        return live().status();
    }

    @Override
    public O result(Duration timeout) {
        return live().result(timeout);
    }

    @Override
    public CompletableFuture<O> future() {
        return live().future();
    }

    /**
     * The result of the ended execution, decoded to the function's output type.
     *
     * @throws AssertionFailedError if it has not ended, naming what it waits for
     * @throws dev.durable.ExecutionFailedException if it failed (the original exception is the cause)
     * @throws dev.durable.ExecutionCancelledException if it was cancelled
     */
    public O result() {
        runtime.awaitIdle();
        ExecutionStatus status = status();
        if (!status.isTerminal()) {
            throw new AssertionFailedError("execution '" + name + "' has not ended: it is " + status + " at "
                    + Pending.describe(details()) + ". Call run() to go on past waits and retries, complete its"
                    + " callbacks with completeCallback(operationName, payload), or advance the clock");
        }
        return result(RESULT_TIMEOUT);
    }

    /** Drives the execution on: see {@link DurableTestRuntime#run(String)}. */
    public TestExecution<O> run() {
        return runtime.run(name);
    }

    /** Everything the journal holds about the execution now. */
    public ExecutionDetails details() {
        return runtime.describe(name);
    }

    /** The failure the execution ended with, or {@code null} if it did not fail. */
    public ErrorInfo error() {
        return details().error();
    }

    /** Every operation, in the order it was first journaled. */
    public List<TestOperation> operations() {
        return details().operations().stream().map(this::wrap).toList();
    }

    /** The operations with this name, in order (a name repeats in a loop). */
    public List<TestOperation> operations(String operationName) {
        return details().operations(operationName).stream().map(this::wrap).toList();
    }

    /**
     * The operation with this id ({@code "3"}, {@code "2/1"}), or else the first with this name.
     *
     * @throws AssertionFailedError if there is none, listing the operations there are
     */
    public TestOperation operation(String idOrName) {
        ExecutionDetails d = details();
        return d.operation(idOrName)
                .map(this::wrap)
                .orElseThrow(() -> new AssertionFailedError("execution '" + name
                        + "' has no operation with id or name '" + idOrName + "'; it has " + list(d.operations())));
    }

    /**
     * The operation at {@code index} (from 0) in journal order.
     *
     * @throws AssertionFailedError if there are not that many
     */
    public TestOperation operation(int index) {
        List<OperationInfo> ops = details().operations();
        if (index < 0 || index >= ops.size()) {
            throw new AssertionFailedError("execution '" + name + "' has " + ops.size() + " operations, so none at"
                    + " index " + index + ": " + list(ops));
        }
        return wrap(ops.get(index));
    }

    /** The id of the pending callback named {@code operationName}, to hand to code that completes it by id. */
    public String callbackId(String operationName) {
        return pendingCallback(operationName).callbackId();
    }

    /**
     * Completes the pending callback named {@code operationName} (the name given to {@code waitForCallback} or
     * {@code createCallback}, or the {@code @Callback} method's) with {@code payload}; returns once the execution
     * has reacted.
     */
    public TestExecution<O> completeCallback(String operationName, Object payload) {
        runtime.completeCallback(pendingCallback(operationName).callbackId(), payload);
        return this;
    }

    /** Completes the pending callback named {@code operationName} with a JSON payload. */
    public TestExecution<O> completeCallbackJson(String operationName, String json) {
        runtime.completeCallbackJson(pendingCallback(operationName).callbackId(), json);
        return this;
    }

    /** Fails the pending callback named {@code operationName}: the code gets a {@code CallbackFailedException}. */
    public TestExecution<O> failCallback(String operationName, String errorType, String message) {
        runtime.failCallback(pendingCallback(operationName).callbackId(), errorType, message);
        return this;
    }

    /** Records a heartbeat for the pending callback named {@code operationName}. */
    public TestExecution<O> heartbeatCallback(String operationName) {
        runtime.heartbeatCallback(pendingCallback(operationName).callbackId());
        return this;
    }

    private OperationInfo pendingCallback(String operationName) {
        runtime.awaitIdle();
        ExecutionDetails d = details();
        List<OperationInfo> callbacks = d.operations().stream()
                .filter(op -> "CALLBACK".equals(op.type()) && op.name().equals(operationName))
                .toList();
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            if (!callbacks.get(i).isDone()) {
                return callbacks.get(i);
            }
        }
        List<OperationInfo> all = d.operations().stream()
                .filter(op -> "CALLBACK".equals(op.type()))
                .toList();
        String why = callbacks.isEmpty()
                ? "it has no callback named '" + operationName + "' (callbacks: " + list(all) + ")"
                : "its callback '" + operationName + "' is no longer pending: " + list(callbacks);
        throw new AssertionFailedError("cannot reach a callback of execution '" + name + "' ("
                + d.info().status() + "): " + why
                + (d.info().status().isTerminal() ? "" : "; it waits at " + Pending.describe(d)));
    }

    private TestOperation wrap(OperationInfo op) {
        return new TestOperation(name, op, runtime.serdes());
    }

    private static String list(List<OperationInfo> ops) {
        return ops.isEmpty()
                ? "none"
                : ops.stream()
                        .map(op -> op.id() + " " + op.type() + " '" + op.name() + "' " + op.status())
                        .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return "TestExecution{" + name + "}";
    }
}
