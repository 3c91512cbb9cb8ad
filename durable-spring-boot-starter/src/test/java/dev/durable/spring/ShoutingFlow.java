package dev.durable.spring;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

/** Implements an interface, so Spring AOP with proxy-target-class=false proxies it through the interface. */
@DurableFunction("shouting")
public class ShoutingFlow implements Shouting {
    @Handler
    public String handle(String s) {
        return shout(s);
    }

    @Override
    @Step
    @Audited
    public String shout(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }
}
