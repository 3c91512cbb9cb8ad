package dev.durable.spring.app;

import dev.durable.Durable;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A durable function as a plain Spring component: constructor injection of other beans and of a property (the
 * {@code @Value} sits on a constructor parameter, which the generated proxy's constructor does not repeat).
 */
@DurableFunction("approvals")
@Component
public class ApprovalFlow {
    private final Greeter greeter;
    private final Outbox outbox;
    private final String suffix;

    public ApprovalFlow(Greeter greeter, Outbox outbox, @Value("${app.suffix:!}") String suffix) {
        this.greeter = greeter;
        this.outbox = outbox;
        this.suffix = suffix;
    }

    @Handler
    public String handle(String name) {
        String greeting = greet(name);
        pause();
        Decision d = askApproval(name);
        return finish(greeting, d);
    }

    @Step
    public String greet(String name) {
        return greeter.greet(name) + suffix;
    }

    @Wait("PT1H")
    void pause() {}

    @Callback(timeout = "P7D")
    Decision askApproval(String name) {
        outbox.send(Durable.callbackId());
        return null;
    }

    @Step
    String finish(String greeting, Decision d) {
        return greeting + (d.approved() ? " approved by " : " rejected by ") + d.by();
    }
}
