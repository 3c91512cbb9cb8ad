package dev.durable.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pauses until the outside world answers. The method body is the submitter: it runs once as a checkpointed step
 * and reads the callback's unguessable id from {@code Durable.callbackId()} to hand it out (an e-mail, a queue
 * message). The call then returns the payload passed to {@code runtime.completeCallback(id, payload)},
 * converted to the method's declared return type; the body's own return value is ignored.
 *
 * <pre>{@code
 * @Callback(timeout = "P7D")
 * Decision askManager(Order o) {
 *     mailer.send(o.manager(), "Approve: " + Durable.callbackId());
 *     return null;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Callback {
    /** The operation's name in the journal; defaults to the method name. */
    String name() default "";

    /** ISO-8601 time after which the call throws {@code CallbackTimeoutException}; empty for none. */
    String timeout() default "";

    /** ISO-8601 time within which the outside must complete or heartbeat the callback; empty for none. */
    String heartbeatTimeout() default "";
}
