package dev.durable.agent;

import dev.durable.agent.bootstrap.Dispatcher;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every {@code @Step}, {@code @Wait} and {@code @Callback} method. Only static methods and no fields:
 * the code is copied into user classes, which reach the engine through the bootstrap {@link Dispatcher}.
 *
 * <p>Nothing here suppresses exceptions: a failed checkpoint or the engine's suspension error leaves the method as
 * thrown.
 */
final class DurableAdvice {
    private DurableAdvice() {}

    /** Returns the call when its outcome is journaled, which skips the body; else null and the body runs. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Dispatcher.Call enter(
            @Advice.Origin Class<?> owner,
            @Advice.Origin("#m#d") String method,
            @Advice.AllArguments Object[] args,
            @Advice.Local("durableCall") Dispatcher.Call call)
            throws Throwable {
        call = Dispatcher.enter(owner, method, args);
        return call != null && call.skipBody() ? call : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(
            @Advice.Enter Dispatcher.Call replay,
            @Advice.Local("durableCall") Dispatcher.Call call,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
            @Advice.Thrown(readOnly = false) Throwable thrown)
            throws Throwable {
        if (replay != null) {
            returned = replay.replayed();
        } else if (call != null) {
            Throwable bodyFailure = thrown;
            thrown = null;
            returned = call.exit(bodyFailure == null ? returned : null, bodyFailure);
        }
    }
}
