package dev.durable;

import java.time.Instant;

/**
 * The engine's time source and timer service. Production uses {@link #system()}; tests use {@link ManualClock}
 * to skip time instead of sleeping.
 */
public interface DurableClock {
    /** The current time. */
    Instant now();

    /** Runs {@code task} once at or after {@code at}; the returned handle cancels it. */
    Timer schedule(Instant at, Runnable task);

    /** Stops the timer service; pending timers are dropped (they live on in the journal). */
    default void shutdown() {}

    /** A scheduled task. */
    interface Timer {
        void cancel();
    }

    /** Wall-clock time with a single timer thread. */
    static DurableClock system() {
        return new SystemClock();
    }
}
