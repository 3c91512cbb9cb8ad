package dev.durable.spring;

import dev.durable.spring.app.Greeter;

/** A collaborator with advice: the steps of a durable function call it through its Spring proxy. */
public class AuditedGreeter extends Greeter {
    @Override
    @Audited
    public String greet(String name) {
        return super.greet(name);
    }
}
