package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The entry point of a {@link DurableFunction}: exactly one per class, taking the execution's input as its only
 * parameter (or none). It is re-run from the top on every resume, so it must be deterministic: time, randomness
 * and I/O belong in steps or come from {@code Durable.context()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handler {}
