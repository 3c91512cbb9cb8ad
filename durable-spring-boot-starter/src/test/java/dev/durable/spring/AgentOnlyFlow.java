package dev.durable.spring;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

/** Made durable by the agent alone: the processor generates no proxy for it. */
@DurableFunction(value = "agent-only", proxy = false)
public class AgentOnlyFlow {
    @Handler
    public String handle(String s) {
        return work(s);
    }

    @Step
    private String work(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }
}
