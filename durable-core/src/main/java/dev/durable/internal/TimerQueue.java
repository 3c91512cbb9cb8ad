package dev.durable.internal;

import dev.durable.DurableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many timers on one timer of the clock: a heap of items ordered by due time, with the clock's timer armed for the
 * earliest only. A runtime that opens over a million suspended executions holds a small entry for each, not a task in
 * the clock's scheduler. Items that fall due together are acted on in due-time order (those due at the same instant
 * in the order scheduled), on the thread the clock fires on; an action that throws is logged and the next runs.
 */
final class TimerQueue<T> {
    private static final Logger LOG = LoggerFactory.getLogger(TimerQueue.class);

    private final DurableClock clock;
    private final Consumer<T> action;
    /** Guarded by this. */
    private Object[] heap = new Object[16];

    private int size;
    private long sequence;
    private DurableClock.Timer armed;
    private Instant armedAt;

    /** Runs {@code action} for each item when its time comes. */
    TimerQueue(DurableClock clock, Consumer<T> action) {
        this.clock = clock;
        this.action = action;
    }

    /** An item due at a time; cancelling removes it. */
    final class Pending implements DurableClock.Timer {
        final Instant at;
        final T item;
        final long seq;
        int index = -1;

        Pending(Instant at, T item, long seq) {
            this.at = at;
            this.item = item;
            this.seq = seq;
        }

        @Override
        public void cancel() {
            remove(this);
        }

        boolean before(Pending o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c < 0 : seq < o.seq;
        }
    }

    /** Runs the action for {@code item} once at or after {@code at} (at once if that has passed). */
    DurableClock.Timer schedule(Instant at, T item) {
        Pending p;
        synchronized (this) {
            p = new Pending(at, item, sequence++);
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = p;
            p.index = size++;
            up(p.index);
        }
        arm();
        return p;
    }

    /** Drops every item and the clock's timer: nothing scheduled so far is acted on. */
    void clear() {
        DurableClock.Timer old;
        synchronized (this) {
            for (int i = 0; i < size; i++) {
                at(i).index = -1;
            }
            heap = new Object[16];
            size = 0;
            old = armed;
            armed = null;
            armedAt = null;
        }
        if (old != null) {
            old.cancel();
        }
    }

    /** How many tasks wait. */
    synchronized int size() {
        return size;
    }

    private void remove(Pending p) {
        synchronized (this) {
            int i = p.index;
            if (i < 0) {
                return;
            }
            p.index = -1;
            Pending last = at(--size);
            heap[size] = null;
            if (i < size) {
                heap[i] = last;
                last.index = i;
                down(i);
                up(last.index);
            }
        }
        arm();
    }

    /** Arms the clock's timer for the earliest task, if it is not armed for exactly that time already. */
    private void arm() {
        DurableClock.Timer old;
        Instant at;
        synchronized (this) {
            at = size == 0 ? null : at(0).at;
            if (at == null ? armed == null : at.equals(armedAt)) {
                return;
            }
            old = armed;
            armed = null;
            armedAt = at;
        }
        if (old != null) {
            old.cancel();
        }
        if (at == null) {
            return;
        }
        DurableClock.Timer t = clock.schedule(at, () -> fire(at));
        synchronized (this) {
            if (at.equals(armedAt) && armed == null) {
                armed = t; // unless it already fired, or a newer arming replaced it
                return;
            }
        }
        t.cancel();
    }

    /** The clock's timer for {@code at} fired: runs every task due by now, then arms for the next. */
    private void fire(Instant at) {
        List<T> due = new ArrayList<>();
        synchronized (this) {
            if (at.equals(armedAt)) {
                armed = null;
                armedAt = null;
            }
            Instant now = clock.now();
            while (size > 0 && !at(0).at.isAfter(now)) {
                Pending p = at(0);
                p.index = -1;
                Pending last = at(--size);
                heap[size] = null;
                if (size > 0) {
                    heap[0] = last;
                    last.index = 0;
                    down(0);
                }
                due.add(p.item);
            }
        }
        for (T item : due) {
            try {
                action.accept(item);
            } catch (RuntimeException e) {
                LOG.error("a timer's action failed for " + item, e);
            }
        }
        arm();
    }

    private void up(int i) {
        Pending p = at(i);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Pending q = at(parent);
            if (!p.before(q)) {
                break;
            }
            heap[i] = q;
            q.index = i;
            i = parent;
        }
        heap[i] = p;
        p.index = i;
    }

    private void down(int i) {
        Pending p = at(i);
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && at(right).before(at(child))) {
                child = right;
            }
            Pending c = at(child);
            if (!c.before(p)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = p;
        p.index = i;
    }

    @SuppressWarnings("unchecked")
    private Pending at(int i) {
        return (Pending) heap[i];
    }
}
