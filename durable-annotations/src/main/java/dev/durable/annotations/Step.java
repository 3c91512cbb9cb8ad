package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A checkpointed method: inside an execution its result (or failure) is journaled, and on replay the journaled
 * outcome is returned (or rethrown) without running the body. Outside an execution it is a plain call.
 *
 * <pre>{@code
 * @Step(retry = @Retry(maxAttempts = 5, initialDelay = "PT1S", backoff = 2.0))
 * Reservation reserve(Order o) { return inventory.reserve(o.items()); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {
    /** The operation's name in the journal; defaults to the method name. */
    String value() default "";

    /** Retry policy; by default 3 attempts with exponential backoff from one second. */
    Retry retry() default @Retry;

    /** At-least-once (default) or at-most-once per retry attempt. */
    StepSemantics semantics() default StepSemantics.AT_LEAST_ONCE_PER_RETRY;

    /**
     * A custom serializer for the result: a class implementing {@code dev.durable.SerDes} with a public
     * no-argument constructor. {@code void.class} means the default JSON serializer.
     */
    Class<?> serdes() default void.class;

    /**
     * The version of the result's shape, journaled with each result (default 1). Raise it when the return type
     * changes in a way journaled results no longer read as (a field renamed or retyped, another type), and convert
     * each older version executions in flight may hold with a {@link StepMigration} method. Adding or removing a
     * field needs no new version: with the default serializer a missing field reads as {@code null}, {@code 0},
     * {@code false} or empty, and an unknown one is ignored.
     *
     * <pre>{@code
     * @Step(value = "quote", resultVersion = 2)
     * Quote quote(Order o) { return pricing.quote(o); }
     *
     * @StepMigration(step = "quote", from = 1)
     * static Quote quoteFromV1(QuoteV1 old) { return new Quote(new Money(old.price(), "EUR")); }
     * }</pre>
     */
    int resultVersion() default 1;
}
