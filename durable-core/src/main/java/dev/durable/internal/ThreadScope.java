package dev.durable.internal;

import dev.durable.DurableContext;
import dev.durable.ExecutionScope;

/** The engine's {@link ExecutionScope}: what {@link ExecutionThread} holds for the current thread. */
public final class ThreadScope implements ExecutionScope {
    @Override
    public DurableContext context() {
        return ExecutionThread.context();
    }

    @Override
    public boolean inStep() {
        return ExecutionThread.inStep();
    }

    @Override
    public String executionName() {
        return ExecutionThread.executionName();
    }

    @Override
    public String callbackId() {
        return ExecutionThread.callbackId();
    }
}
