package dev.durable.internal;

import dev.durable.spi.plugin.SuspendReason;
import java.time.Instant;

/**
 * Unwinds a handler that has to wait. An {@link Error}, so {@code catch (Exception e)} in user code cannot swallow
 * it; it carries when to wake up ({@code null}: only an outside event, such as a callback, wakes it).
 */
final class SuspendExecution extends Error {
    private static final long serialVersionUID = 1L;

    final transient Instant wakeAt;
    /** What it waits for, as plugins see it. */
    final transient SuspendReason reason;

    SuspendExecution(Instant wakeAt, SuspendReason reason) {
        super(
                "the execution is waiting" + (wakeAt == null ? "" : " until " + wakeAt)
                        + "; this error unwinds the handler and must not be caught",
                null,
                false,
                false);
        this.wakeAt = wakeAt;
        this.reason = reason;
        ExecutionThread.suspending();
    }
}
