package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A durable pause. The execution suspends, holding no thread, until the time has come, also across restarts;
 * then the method body, if any, runs once as a checkpointed step and its result is returned.
 *
 * <p>The length is either fixed ({@code @Wait("PT24H")}) or taken from the method's {@code java.time.Duration}
 * (wait this long) or {@code java.time.Instant} (wait until then) parameter:
 *
 * <pre>{@code
 * @Wait("PT24H") void coolingOff() {}
 * @Wait void until(Instant deadline) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Wait {
    /** ISO-8601 duration such as {@code "PT24H"}; empty to take it from a Duration or Instant parameter. */
    String value() default "";

    /** The operation's name in the journal; defaults to the method name. */
    String name() default "";
}
