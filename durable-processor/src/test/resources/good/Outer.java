package shop;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;

public class Outer {
    /** A static nested class gets a top-level proxy named after its path. */
    @DurableFunction
    public static class Inner {
        @Handler
        public String handle(String input) {
            return greet(input);
        }

        @Step
        String greet(String name) {
            return "hello " + name;
        }
    }
}
