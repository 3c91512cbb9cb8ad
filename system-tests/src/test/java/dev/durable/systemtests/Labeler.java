package dev.durable.systemtests;

import dev.durable.Durable;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;

/** The function {@link MixedWorkflow} invokes as a child execution: a step and a wait of its own. */
@DurableFunction("labeler")
public class Labeler {
    private final EffectLog effects;

    public Labeler(EffectLog effects) {
        this.effects = effects;
    }

    @Handler
    public String label(String order) {
        String me = Durable.context().executionName();
        String printed = effects.ack(me, "print", print(me, order));
        dry();
        return printed;
    }

    @Step
    String print(String me, String order) {
        effects.run(me, "print", 0);
        return "L-" + order;
    }

    @Wait("PT0.05S")
    void dry() {}
}
