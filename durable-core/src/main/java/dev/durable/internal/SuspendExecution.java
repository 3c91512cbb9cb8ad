package dev.durable.internal;

import java.time.Instant;

/**
 * Unwinds a handler that has to wait. An {@link Error}, so {@code catch (Exception e)} in user code cannot swallow
 * it; it carries when to wake up ({@code null}: only an outside event, such as a callback, wakes it).
 */
final class SuspendExecution extends Error {
    final transient Instant wakeAt;

    SuspendExecution(Instant wakeAt) {
        super("the execution is waiting" + (wakeAt == null ? "" : " until " + wakeAt)
                + "; this error unwinds the handler and must not be caught", null, false, false);
        this.wakeAt = wakeAt;
        ExecutionThread.suspending();
    }
}
