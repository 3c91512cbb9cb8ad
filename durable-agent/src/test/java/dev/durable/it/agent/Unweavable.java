package dev.durable.it.agent;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

/** Annotated methods without a body the agent could weave. */
@DurableFunction
public abstract class Unweavable {
    @Handler
    public String handle() {
        return nativeStep() + abstractStep();
    }

    @Step
    native String nativeStep();

    @Step
    abstract String abstractStep();
}
