package dev.durable.internal;

import dev.durable.DurableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Decides when executions run: at most one run of an execution at a time (a wake-up during a run runs it again
 * right after), on the handler threads; a suspended execution holds no thread, only a timer for its next due time.
 * Knows when no run is left ({@link #awaitIdle}) and stops runs when the runtime closes.
 */
final class Scheduler {
    private final HandlerThreads threads;
    private final DurableClock clock;
    private final Predicate<ExecutionEntry> runnable;
    private final Consumer<ExecutionEntry> run;
    /** Runs queued or running; {@link #idle} is notified when it drops to zero. */
    private final AtomicInteger busy = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean closed;

    /**
     * @param runnable whether an execution can run now (its function is registered)
     * @param run runs an execution's handler once from the top
     */
    Scheduler(HandlerThreads threads, DurableClock clock, Predicate<ExecutionEntry> runnable,
              Consumer<ExecutionEntry> run) {
        this.threads = threads;
        this.clock = clock;
        this.runnable = runnable;
        this.run = run;
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the runtime is closed; open it again to continue");
        }
    }

    /** Runs {@code e} soon, or again after its current run; nothing if it ended or its function is not registered. */
    void schedule(ExecutionEntry e) {
        if (closed || !runnable.test(e)) {
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
                run.accept(e);
                synchronized (e) {
                    if (e.rerun && e.outcome() == null && !closed) {
                        e.rerun = false;
                        continue;
                    }
                    e.rerun = false;
                    e.running = false;
                    return;
                }
            }
        } finally {
            doneRunning();
        }
    }

    /** Marks {@code e} waiting, woken at {@code wakeAt} ({@code null}: only by an outside event). */
    void suspend(ExecutionEntry e, Instant wakeAt) {
        synchronized (e) {
            if (e.outcome() != null) {
                return;
            }
            e.status = dev.durable.ExecutionStatus.WAITING;
            cancelTimer(e);
            if (wakeAt != null && !closed) {
                e.timer = clock.schedule(wakeAt, () -> schedule(e));
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
            DurableEngine.LOG.warn("handlers still running 30 s after close; they are abandoned and resume on the next"
                    + " open");
        }
        threads.shutdownNow();
        for (ExecutionEntry e : executions) {
            synchronized (e) {
                cancelTimer(e);
            }
        }
    }
}
