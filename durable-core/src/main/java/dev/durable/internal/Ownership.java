package dev.durable.internal;

import dev.durable.ErrorInfo;
import java.time.Instant;

/**
 * Which process runs which execution when several share one journal (a database). The file journal has a single
 * owner and {@link #SOLE} changes nothing. A shared backend claims executions and hands them to the engine with
 * {@link DurableEngine#adopt}; the engine tells it when a run ends with nothing queued ({@link #release}), and asks it
 * to wake executions held elsewhere ({@link #wake}). Every append for an execution not owned any more fails with
 * {@link dev.durable.spi.journal.LeaseLostException}.
 */
public interface Ownership {
    /** One process owns every execution of its journal. */
    Ownership SOLE = new Ownership() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public Release release(String name, boolean ended, Instant wakeAt) {
            return Release.KEEP;
        }

        @Override
        public Release block(String name, ErrorInfo reason) {
            return Release.KEEP;
        }

        @Override
        public void wake(String name) {
            // every execution is held here, and woken here
        }

        @Override
        public boolean runsHandlers() {
            return true;
        }
    };

    /**
     * Whether this process runs handlers. A client that does not still registers functions, to start executions
     * and read their results with their types; each execution it starts or changes is let go, due now, for a worker.
     */
    boolean runsHandlers();

    /** Whether other processes run executions of the same journal. */
    boolean shared();

    /**
     * A run of {@code name} ended and no other is queued: it has ended, or it waits until {@code wakeAt} ({@code null}:
     * until an outside event).
     */
    Release release(String name, boolean ended, Instant wakeAt);

    /**
     * A run of {@code name} diverged from the journal and no other is queued: hold it blocked, with {@code reason},
     * due for no one until code that may match its history comes (a process started later) or an operator acts.
     */
    Release block(String name, ErrorInfo reason);

    /** Makes an execution held by no process here due now (a child it waits for ended, say). */
    void wake(String name);

    /** What the engine does with an execution whose run ended. */
    enum Release {
        /** Keep it: timers and callbacks stay in this process (a single owner). */
        KEEP,
        /** Something changed while it ran that its run did not see: run it again, still owned. */
        RUN_AGAIN,
        /** It is no longer owned here: forget it (another process may claim it now). */
        LET_GO
    }
}
