package dev.durable.it.agent;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Step;

/** Loaded where its superclass is missing, so the agent cannot resolve its type hierarchy to weave it. */
@DurableFunction
public class Orphan extends OrphanParent {
    @Step
    String step() {
        return "orphan";
    }
}
