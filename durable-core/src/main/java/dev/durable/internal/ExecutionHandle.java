package dev.durable.internal;

import dev.durable.DurableException;
import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.ResultTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link Execution} handed to callers. */
final class ExecutionHandle<O> implements Execution<O> {
    private final ExecutionEntry entry;

    ExecutionHandle(ExecutionEntry entry) {
        this.entry = entry;
    }

    @Override
    public String name() {
        return entry.name;
    }

    @Override
    public String function() {
        return entry.function;
    }

    @Override
    public ExecutionStatus status() {
        return entry.status;
    }

    @Override
    @SuppressWarnings("unchecked")
    public O result(Duration timeout) {
        try {
            return (O) entry.future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ResultTimeoutException("execution '" + entry.name + "' did not end within " + timeout + "; it is "
                    + entry.status + " and goes on");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new DurableException("execution '" + entry.name + "' failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DurableException("interrupted while waiting for execution '" + entry.name + "'", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<O> future() {
        return (CompletableFuture<O>) entry.future.copy();
    }

    @Override
    public String toString() {
        return "Execution{" + entry.name + ", " + entry.function + ", " + entry.status + "}";
    }
}
