package dev.durable.internal;

import dev.durable.DurableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The engine's side of a journal shared by several processes (see {@link Ownership}): the backend hands it the
 * executions it claimed ({@link #adopt}), asks which it holds, lets go of those it adopted only to change them, and
 * tells it which executions held elsewhere ended; the engine hands each execution back when its run ends.
 */
public final class Sharing {
    private final DurableClock clock;
    private final Functions functions;
    private final Executions executions;
    private final Scheduler scheduler;
    private final Callbacks callbacks;
    private final Ownership ownership;

    Sharing(
            DurableClock clock,
            Functions functions,
            Executions executions,
            Scheduler scheduler,
            Callbacks callbacks,
            Ownership ownership) {
        this.clock = clock;
        this.functions = functions;
        this.executions = executions;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.ownership = ownership;
    }

    /**
     * Takes over execution {@code name}, which the {@link Ownership} has just claimed for this process: reads it from
     * the journal afresh and, if {@code run}, runs it. Returns false if the journal has no execution of that name.
     */
    public boolean adopt(String name, boolean run) {
        ExecutionEntry e = executions.adopt(name);
        if (e == null) {
            return false;
        }
        callbacks.recovered(List.of(e));
        if (run) {
            scheduler.schedule(e);
        }
        return true;
    }

    /**
     * Marks execution {@code name}, adopted without running it, blocked as the journal's owner recorded it (so that an
     * operator's {@code fail} finds it so).
     */
    public void blocked(String name, dev.durable.ErrorInfo reason) {
        ExecutionEntry e = executions.held(name);
        if (e != null && reason != null) {
            e.block(reason);
        }
    }

    /** Every registered function version as {@code name@version}: the executions this process can run. */
    public List<String> runnableFunctions() {
        List<String> keys = new ArrayList<>();
        for (String name : functions.names()) {
            for (int v : functions.versions(name)) {
                keys.add(name + "@" + v);
            }
        }
        return keys;
    }

    /** Whether this process holds execution {@code name} (it may run it and append to it). */
    public boolean holds(String name) {
        ExecutionEntry e = executions.held(name);
        return e != null && e.held;
    }

    /**
     * Lets go of an execution held here that is not running (one adopted only to change it from outside): it is
     * handed back to the {@link Ownership} as {@link #release} would after a run.
     */
    public void letGo(String name) {
        ExecutionEntry e = executions.held(name);
        if (e != null) {
            scheduler.letGoIdle(e);
        }
    }

    /** The unfinished executions held elsewhere that a caller of this process waits for. */
    public List<String> awaitedElsewhere() {
        return executions.mirrors().awaited();
    }

    /** Tells the engine that execution {@code name}, held elsewhere, has ended: its waiting callers get the outcome. */
    public void endedElsewhere(String name) {
        executions.endedElsewhere(name);
    }

    /** Hands an execution whose run ended back to the {@link Ownership}; forgets it if it is let go. */
    Ownership.Release release(ExecutionEntry e) {
        if (!ownership.shared()) {
            return Ownership.Release.KEEP;
        }
        boolean ended = e.outcome() != null;
        Instant wakeAt;
        dev.durable.ErrorInfo blocked;
        synchronized (e) {
            wakeAt = ended ? null : e.suspended ? e.wakeAt : clock.now();
            blocked = !ended && e.status == dev.durable.ExecutionStatus.BLOCKED ? e.blockedBy : null;
        }
        if (!ended) {
            Instant deadline = callbacks.nextDeadline(e.name);
            if (deadline != null && (wakeAt == null || deadline.isBefore(wakeAt))) {
                wakeAt = deadline;
            }
        }
        Ownership.Release r;
        try {
            r = blocked != null ? ownership.block(e.name, blocked) : ownership.release(e.name, ended, wakeAt);
        } catch (RuntimeException failed) {
            DurableEngine.LOG.warn(
                    "execution '{}' could not be handed back ({}); another process takes it over when its lease"
                            + " runs out",
                    e.name,
                    failed.getMessage());
            r = Ownership.Release.LET_GO;
        }
        if (r == Ownership.Release.LET_GO) {
            executions.evict(e);
            callbacks.forget(Set.of(e.name));
        }
        return r;
    }
}
