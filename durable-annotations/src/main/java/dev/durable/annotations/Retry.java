package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retry policy of a {@link Step}: exponential backoff on the durable clock. The delay before attempt
 * {@code n + 1} is {@code min(maxDelay, initialDelay * backoff^(n-1))}, reduced by up to {@code jitter} of
 * itself. Delays are durable waits: no thread is held and they survive restarts.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Retry {
    /** Total attempts, the first included; {@code 1} means no retry. */
    int maxAttempts() default 3;

    /** ISO-8601 delay before the second attempt, e.g. {@code "PT1S"}. */
    String initialDelay() default "PT1S";

    /** Multiplier applied to the delay after each failed attempt. */
    double backoff() default 2.0;

    /** ISO-8601 upper bound of any one delay. */
    String maxDelay() default "PT1M";

    /** Fraction (0 to 1) of each delay that is randomised away, stable across replays. */
    double jitter() default 0.0;

    /** Only these exception types (and subtypes) are retried; empty means all exceptions. */
    Class<? extends Throwable>[] retryOn() default {};

    /** These exception types (and subtypes) are never retried; they win over {@link #retryOn()}. */
    Class<? extends Throwable>[] noRetryOn() default {};
}
