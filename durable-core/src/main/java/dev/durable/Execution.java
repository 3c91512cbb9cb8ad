package dev.durable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A handle on one execution: its status and, once it ends, its result. */
public interface Execution<O> {
    /** The execution's name (its idempotency key). */
    String name();

    /** The durable function it runs. */
    String function();

    /** Where it stands now. */
    ExecutionStatus status();

    /**
     * Waits up to {@code timeout} for the result.
     *
     * @throws ExecutionFailedException if the handler failed (the original exception is the cause where it could
     *     be rebuilt)
     * @throws ExecutionCancelledException if it was cancelled
     * @throws ResultTimeoutException if it did not end in time (it goes on). A {@link ExecutionStatus#BLOCKED}
     *     execution has not ended: its result comes once fixed code resumes it, or its failure once an operator
     *     {@linkplain DurableRuntime#fail fails} it
     */
    O result(Duration timeout);

    /** Completes with the result, or exceptionally as {@link #result} would throw. */
    CompletableFuture<O> future();
}
