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
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DurableFunction {
    /** The function's name, used to start executions; defaults to the class's simple name. */
    String value() default "";
}
