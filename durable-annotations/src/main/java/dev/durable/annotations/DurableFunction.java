package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a durable function: its {@link Handler} method is the entry point of each execution,
 * and its {@link Step}, {@link Wait} and {@link Callback} methods are checkpointed in the journal.
 *
 * <pre>{@code
 * @DurableFunction("orders")
 * public class OrderProcessor {
 *     @Handler public Receipt handle(Order order) { ... }
 * }
 * }</pre>
 *
 * <p>Versions pin executions to the code they started with: {@code @DurableFunction(value = "orders", version = 2)}.
 *
 * <p>With the agent only, durable methods may be private or final: {@code @DurableFunction(value = "trips",
 * proxy = false)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DurableFunction {
    /** The function's name, used to start executions; defaults to the class's simple name. */
    String value() default "";

    /**
     * Whether durable-processor generates a {@code _Durable} proxy for this class (the default). Set it to
     * {@code false} for a class made durable by the agent alone ({@code -javaagent:durable-agent.jar}): its durable
     * methods may then be private, final or static, and the processor only validates the annotations.
     */
    boolean proxy() default true;

    /**
     * The version of the function, from 1. Register a new version beside the old one to change the handler's code
     * without touching executions in flight: each execution runs to its end on the version it started with, new ones
     * start on the newest registered version.
     *
     * <pre>{@code
     * @DurableFunction(value = "orders", version = 2)
     * public class OrderProcessorV2 { ... }
     * runtime.register(new OrderProcessor_Durable(...));     // version 1: finishes what it started
     * runtime.register(new OrderProcessorV2_Durable(...));   // version 2: every new order
     * }</pre>
     */
    int version() default 1;
}
