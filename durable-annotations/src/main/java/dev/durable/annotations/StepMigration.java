package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Converts a step result journaled at an older result version into the step's current result type, so executions
 * in flight replay across a change of that type. The method is static, in the same class as the step, takes one
 * parameter, the type the old result is read as (what the step returned at version {@link #from()}, or
 * {@code com.fasterxml.jackson.databind.JsonNode} with the default serializer), and returns the current result type.
 * It runs on every replay of such a result, so it must depend on nothing but its argument.
 *
 * <pre>{@code
 * record QuoteV1(int price) {}                  // what quote() returned before
 * record Quote(Money total) {}
 *
 * @Step(value = "quote", resultVersion = 2)
 * Quote quote(Order o) { return pricing.quote(o); }
 *
 * @StepMigration(step = "quote", from = 1)
 * static Quote quoteFromV1(QuoteV1 old) { return new Quote(new Money(old.price(), "EUR")); }
 * }</pre>
 *
 * <p>Each migration converts straight to the current type: when the step moves to version 3, make the migration from
 * 1 return the version-3 type too (it may call the one from 2). A replay that meets a version with no migration, or
 * one newer than the step's, holds its execution blocked with a message naming the step and what to add.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StepMigration {
    /** The step's name in the journal: its {@code @Step} value, or its method name. */
    String step();

    /** The result version this method converts from: at least 1, below the step's {@link Step#resultVersion()}. */
    int from();
}
