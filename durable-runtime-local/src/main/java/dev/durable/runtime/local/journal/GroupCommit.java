package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits appends from many threads in groups, as LevelDB does: the writer at the head of the queue is the leader; it
 * takes every queued record (up to {@value #MAX_GROUP_BYTES} bytes), has the log write and force them once, then
 * acknowledges each and hands the lead to the next writer waiting. The others wait for their turn.
 *
 * <p>Waiting writers hold no lock: each parks on its own thread, and the leader wakes the whole group at once after
 * the force. (Waiting on a condition of the queue's lock would wake them one after another, each taking the lock in
 * turn, and that chain of wake-ups outlasts a force once a few dozen writers wait.)
 *
 * <p>A write or force that fails poisons the journal: that group and every writer queued behind it fail with a
 * {@link JournalException} whose cause is the original {@link IOException}, and so does every later append. A failed
 * force is never retried (the PostgreSQL fsync lesson); only reopening the journal recovers.
 */
final class GroupCommit {
    static final int MAX_GROUP_BYTES = 4 << 20;

    private static final int WAITING = 0;
    private static final int LEADING = 1;
    private static final int DONE = 2;

    /** Where a group goes: written and forced as a whole before any of it is acknowledged. */
    interface Log {
        void writeAndForce(List<Writer> group, int bytes) throws IOException;
    }

    /** One caller's records, waiting to be committed. */
    static final class Writer {
        final byte[][] frames;
        final String[] executionIds;
        final int bytes;
        Thread thread;
        volatile int state;
        Throwable failure; // written before state becomes DONE, read after

        Writer(byte[][] frames, String[] executionIds, int bytes) {
            this.frames = frames;
            this.executionIds = executionIds;
            this.bytes = bytes;
        }
    }

    private final Path directory;
    private final long batchWindowNanos;
    private final Log log;
    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<Writer> queue = new ArrayDeque<>();
    private final Condition queueChanged = queueLock.newCondition();
    private final Condition groupFull = queueLock.newCondition();
    private long queuedBytes;
    private boolean led; // a writer leads: it commits the head of the queue, or hands the lead on before it returns
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Journal.CommitObserver observer;

    /** {@code batchWindowNanos} above 0: how long a leader waits for company before it commits (BATCHED). */
    GroupCommit(Path directory, long batchWindowNanos, Log log) {
        this.directory = directory;
        this.batchWindowNanos = batchWindowNanos;
        this.log = log;
    }

    /** Returns once {@code w}'s records are durable, or throws if they may not be. */
    void submit(Writer w) {
        w.thread = Thread.currentThread();
        queueLock.lock();
        try {
            ensureWritable();
            queue.addLast(w);
            queuedBytes += w.bytes;
            if (!led) {
                led = true;
                w.state = LEADING;
            } else if (batchWindowNanos > 0 && queuedBytes >= MAX_GROUP_BYTES) {
                groupFull.signal(); // a full group need not wait out the window
            }
        } finally {
            queueLock.unlock();
        }
        awaitTurn(w); // the record may already be on its way to disk: wait for the outcome, not for an interrupt
        if (w.state == LEADING) {
            commitAsLeader(w);
        }
        if (w.failure != null) {
            throw failed(w.failure);
        }
    }

    private static void awaitTurn(Writer w) {
        boolean interrupted = false;
        while (w.state == WAITING) {
            LockSupport.park(w);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits a group for everyone queued; {@code leader} is at the head of the queue. */
    private void commitAsLeader(Writer leader) {
        List<Writer> group = new ArrayList<>();
        int bytes = 0;
        queueLock.lock();
        try {
            if (failure != null) { // poisoned while this group waited (a failed directory force in compaction)
                failQueued(failure);
                return;
            }
            if (batchWindowNanos > 0) {
                awaitCompany();
            }
            for (Writer x : queue) {
                if (!group.isEmpty() && bytes + x.bytes > MAX_GROUP_BYTES) {
                    break;
                }
                group.add(x);
                bytes += x.bytes;
            }
        } finally {
            queueLock.unlock();
        }
        Throwable error = null;
        // A FileChannel closes itself, for every thread, when a thread blocked in it is interrupted: do the I/O with
        // the flag cleared and give it back afterwards. An interrupt that lands during the I/O still poisons.
        boolean interrupted = Thread.interrupted();
        try {
            Journal.CommitObserver o = observer;
            long began = o == null ? 0 : System.nanoTime();
            log.writeAndForce(group, bytes);
            if (o != null) {
                tell(o, group, bytes, System.nanoTime() - began);
            }
        } catch (Throwable t) {
            error = t;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Writer next;
        queueLock.lock();
        try {
            if (error != null) {
                failure = error; // poisoned: this group and everything queued behind it fail with the original cause
                failQueued(error);
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                queue.pollFirst();
            }
            queuedBytes -= bytes;
            next = queue.peekFirst();
            led = next != null;
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
        for (Writer x : group) {
            x.state = DONE;
            if (x != leader) {
                LockSupport.unpark(x.thread);
            }
        }
        if (next != null) {
            next.state = LEADING;
            LockSupport.unpark(next.thread);
        }
    }

    /** Called holding the queue lock: waits out the batch window unless the group fills first. */
    private void awaitCompany() {
        long remaining = batchWindowNanos;
        while (remaining > 0 && queuedBytes < MAX_GROUP_BYTES) {
            try {
                remaining = groupFull.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Has {@code o} told of each group committed from now on. */
    void observe(Journal.CommitObserver o) {
        observer = o;
    }

    private static void tell(Journal.CommitObserver o, List<Writer> group, int bytes, long nanos) {
        int records = 0;
        for (Writer x : group) {
            records += x.frames.length;
        }
        try {
            o.committed(records, bytes, nanos);
        } catch (RuntimeException e) {
            // an observer only watches: the group is durable, and its writers are acknowledged all the same
        }
    }

    /** Called holding the queue lock: fails every queued writer with {@code cause}. */
    private void failQueued(Throwable cause) {
        for (Writer x : queue) {
            x.failure = cause;
            x.state = DONE;
            LockSupport.unpark(x.thread);
        }
        queue.clear();
        queuedBytes = 0;
        led = false;
        queueChanged.signalAll();
    }

    /** Stops the journal for {@code cause} unless it stopped already: every later append fails with it. */
    void poison(Throwable cause) {
        queueLock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
        } finally {
            queueLock.unlock();
        }
    }

    /** The failure that stopped the journal, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Refuses appends from now on and waits until the groups already queued are committed (or failed).
     *
     * @return false if it was closed already
     */
    boolean close() {
        queueLock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            while (!queue.isEmpty()) {
                queueChanged.awaitUninterruptibly();
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /** How many appends are waiting for or taking part in a commit. */
    int queued() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    /** Throws unless the journal takes changes: it has not failed and is not closed. */
    void ensureWritable() {
        Throwable cause = failure;
        if (cause != null) {
            throw failed(cause);
        }
        ensureOpen();
    }

    void ensureOpen() {
        if (closed) {
            throw new JournalException("the journal in " + directory + " is closed; open it again to continue");
        }
    }

    JournalException failed(Throwable cause) {
        return new JournalException(
                "the journal in " + directory + " could not make records durable (" + cause
                        + ") and accepts no more; nothing after the failure was acknowledged. Fix the cause (disk full,"
                        + " failing disk), then close the runtime and open it again: every acknowledged record is recovered",
                cause);
    }
}
