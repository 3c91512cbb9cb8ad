package example.greeter;

import dev.durable.Durable;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

@DurableFunction("greet")
public class Greeter {
    public record Greeting(String text, boolean inExecution) {}

    @Handler
    public Greeting handle(String name) {
        return new Greeting(hello(name), Durable.context() != null);
    }

    @Step
    protected String hello(String name) {
        return "hello " + name;
    }
}
