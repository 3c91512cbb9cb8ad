package dev.durable.spring;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

/** A durable function with a Spring-advised method of its own: Spring AOP would have to subclass its proxy. */
@DurableFunction("audited")
public class AuditedFlow {
    @Handler
    public String handle(String s) {
        return work(s);
    }

    @Step
    @Audited
    public String work(String s) {
        return s + "!";
    }
}
