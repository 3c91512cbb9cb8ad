package dev.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to: {@link #advance(Duration)} fires every timer that falls due, in order,
 * on the calling thread. Tests use it to skip hours of waits, retry delays and callback timeouts instantly.
 */
public final class ManualClock implements DurableClock {
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public ManualClock(Instant start) {
        this.now = start;
    }

    /** Starts at 2025-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        Entry e;
        boolean due;
        synchronized (this) {
            e = new Entry(at, sequence++, task);
            due = !at.isAfter(now);
            if (!due) {
                timers.add(e);
            }
        }
        if (due) {
            task.run();
        }
        return () -> {
            synchronized (ManualClock.this) {
                e.cancelled = true;
                timers.remove(e);
            }
        };
    }

    /** Moves time forward by {@code d}, firing due timers in order. */
    public void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        advanceTo(target);
    }

    /** Moves time forward to {@code target}, firing due timers in order. */
    public void advanceTo(Instant target) {
        while (true) {
            List<Runnable> due = new ArrayList<>();
            synchronized (this) {
                Entry head = timers.peek();
                if (head == null || head.at.isAfter(target)) {
                    if (target.isAfter(now)) {
                        now = target;
                    }
                    return;
                }
                if (head.at.isAfter(now)) {
                    now = head.at;
                }
                while (!timers.isEmpty() && !timers.peek().at.isAfter(now)) {
                    Entry e = timers.poll();
                    if (!e.cancelled) {
                        due.add(e.task);
                    }
                }
            }
            due.forEach(Runnable::run);
        }
    }

    /** When the earliest pending timer is due, or {@code null} if none. */
    public synchronized Instant nextTimer() {
        Entry head = timers.peek();
        return head == null ? null : head.at;
    }

    /** Number of timers not yet fired. */
    public synchronized int pendingTimers() {
        return timers.size();
    }

    private static final class Entry implements Comparable<Entry> {
        final Instant at;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Entry(Instant at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
