package dev.durable.internal;

import dev.durable.DurableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides when executions run: at most one run of an execution at a time (a wake-up during a run runs it again
 * right after), on the handler threads; a suspended execution holds no thread, only a timer for its next due time.
 * Knows when no run is left ({@link #awaitIdle}) and stops runs when the runtime closes. When processes share the
 * journal ({@link Ownership#shared()}) a waiting execution keeps no timer here: each run that ends with nothing queued
 * is handed back to the {@link Ownership}, which keeps its due time and may give it to another process.
 */
final class Scheduler {
    private final HandlerThreads threads;
    /** The timers of suspended executions, on one timer of the clock. */
    private final TimerQueue<ExecutionEntry> timers;

    private final Predicate<ExecutionEntry> runnable;
    private final Consumer<ExecutionEntry> run;
    private final Ownership ownership;
    private final Function<ExecutionEntry, Ownership.Release> release;
    /** Runs queued or running; {@link #idle} is notified when it drops to zero. */
    private final AtomicInteger busy = new AtomicInteger();

    private final Object idle = new Object();
    private volatile boolean closed;

    /**
     * @param runnable whether an execution can run now (its function is registered)
     * @param run runs an execution's handler once from the top
     * @param release hands an execution whose run ended back to {@code ownership}, and forgets it if let go
     */
    Scheduler(
            HandlerThreads threads,
            DurableClock clock,
            Predicate<ExecutionEntry> runnable,
            Consumer<ExecutionEntry> run,
            Ownership ownership,
            Function<ExecutionEntry, Ownership.Release> release) {
        this.threads = threads;
        this.timers = new TimerQueue<>(clock, this::schedule);
        this.runnable = runnable;
        this.run = run;
        this.ownership = ownership;
        this.release = release;
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the runtime is closed; open it again to continue");
        }
    }

    /**
     * Runs {@code e} soon, or again after its current run; nothing if it ended. An execution held elsewhere is woken
     * there; one held here whose function is not registered here is let go, due now, when processes share the journal.
     */
    void schedule(ExecutionEntry e) {
        if (closed) {
            return;
        }
        if (!e.held) {
            if (e.outcome() == null) {
                ownership.wake(e.name);
            }
            return;
        }
        if (!runnable.test(e)) {
            if (ownership.shared()) {
                letGoIdle(e);
            } else {
                synchronized (e) {
                    e.suspended = false; // woken before its function is registered: it runs once it is
                }
            }
            return;
        }
        synchronized (e) {
            if (e.outcome() != null) {
                return;
            }
            if (e.running) {
                e.rerun = true;
                return;
            }
            e.running = true;
            cancelTimer(e);
        }
        busy.incrementAndGet();
        try {
            threads.runHandler(() -> runLoop(e));
        } catch (RejectedExecutionException rejected) {
            synchronized (e) {
                e.running = false;
            }
            doneRunning();
        }
    }

    private void runLoop(ExecutionEntry e) {
        try {
            while (true) {
                try {
                    run.accept(e);
                } catch (RuntimeException unexpected) {
                    // never strand an execution as running: it is handed back below like any run that halted
                    DurableEngine.LOG.error("a run of execution '{}' failed unexpectedly", e.name, unexpected);
                }
                synchronized (e) {
                    if (e.rerun && e.outcome() == null && !closed) {
                        e.rerun = false;
                        continue;
                    }
                    e.rerun = false;
                }
                Ownership.Release r = release.apply(e);
                if (r == Ownership.Release.RUN_AGAIN && !closed) {
                    continue;
                }
                boolean wokenMeanwhile;
                synchronized (e) {
                    wokenMeanwhile = e.rerun && e.outcome() == null && !closed;
                    e.rerun = false;
                    if (wokenMeanwhile && r != Ownership.Release.LET_GO) {
                        continue; // woken (a timer fired) while it was handed back, and still held here: run again
                    }
                    e.running = false;
                }
                if (r == Ownership.Release.LET_GO && wokenMeanwhile) {
                    ownership.wake(e.name); // woken here while it was being let go: due now wherever it goes
                }
                return;
            }
        } finally {
            doneRunning();
        }
    }

    /** Lets go of a held execution that is not running (changed from outside, but not runnable here). */
    void letGoIdle(ExecutionEntry e) {
        synchronized (e) {
            if (e.running || !e.held) {
                return;
            }
            e.running = true; // kept from runs while it is let go
        }
        try {
            release.apply(e);
        } finally {
            synchronized (e) {
                e.running = false;
            }
        }
    }

    /** Marks {@code e} waiting, woken at {@code wakeAt} ({@code null}: only by an outside event). */
    void suspend(ExecutionEntry e, Instant wakeAt) {
        synchronized (e) {
            if (e.outcome() != null) {
                return;
            }
            e.status = dev.durable.ExecutionStatus.WAITING;
            e.suspended = true;
            e.wakeAt = wakeAt;
            cancelTimer(e);
            if (wakeAt != null && !closed && !ownership.shared()) {
                e.timer = timers.schedule(wakeAt, e);
            }
        }
    }

    private static void cancelTimer(ExecutionEntry e) {
        if (e.timer != null) {
            e.timer.cancel();
            e.timer = null;
        }
    }

    private void doneRunning() {
        if (busy.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Waits until no run is queued or running; false if that did not happen within {@code timeout}. */
    boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (busy.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Stops scheduling, lets the runs in progress stop at their next operation (they resume on the next open) and
     * cancels the timers of {@code executions}.
     */
    void close(Collection<ExecutionEntry> executions) {
        closed = true;
        if (!awaitIdle(Duration.ofSeconds(30))) {
            DurableEngine.LOG.warn(
                    "handlers still running 30 s after close; they are abandoned and resume on the next" + " open");
        }
        threads.shutdownNow();
        timers.clear();
        for (ExecutionEntry e : executions) {
            synchronized (e) {
                cancelTimer(e);
            }
        }
    }
}
