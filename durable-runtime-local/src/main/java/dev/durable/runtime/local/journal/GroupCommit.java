package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits appends from many threads in groups, as LevelDB does: the writer at the head of the queue is the leader; it
 * takes every queued record (up to {@value #MAX_GROUP_BYTES} bytes), has the log write and force them once, then
 * acknowledges each and hands the lead to the next writer waiting. The others wait for their turn.
 *
 * <p>A write or force that fails poisons the journal: that group and every writer queued behind it fail with a
 * {@link JournalException} whose cause is the original {@link IOException}, and so does every later append. A failed
 * force is never retried (the PostgreSQL fsync lesson); only reopening the journal recovers.
 */
final class GroupCommit {
    static final int MAX_GROUP_BYTES = 4 << 20;

    /** Where a group goes: written and forced as a whole before any of it is acknowledged. */
    interface Log {
        void writeAndForce(List<Writer> group, int bytes) throws IOException;
    }

    /** One caller's records, waiting to be committed. */
    static final class Writer {
        final byte[][] frames;
        final String[] executionIds;
        final int bytes;
        Condition turn;
        boolean done;
        Throwable failure;

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
    private long queuedBytes;
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
        queueLock.lock();
        try {
            ensureWritable();
            w.turn = queueLock.newCondition();
            queue.addLast(w);
            queuedBytes += w.bytes;
            if (batchWindowNanos > 0 && queuedBytes >= MAX_GROUP_BYTES) {
                queue.peekFirst().turn.signal(); // a full group need not wait out the window
            }
            while (!w.done && queue.peekFirst() != w) {
                w.turn.awaitUninterruptibly(); // the record may already be on its way to disk: wait for the outcome
            }
            if (!w.done) {
                commitAsLeader(w);
            }
            if (w.failure != null) {
                throw failed(w.failure);
            }
        } finally {
            queueLock.unlock();
        }
    }

    /** Called holding the queue lock with {@code leader} at the head; commits a group for everyone queued. */
    private void commitAsLeader(Writer leader) {
        if (failure != null) { // poisoned while this group waited (a failed directory force in compaction)
            failQueued(failure);
            return;
        }
        if (batchWindowNanos > 0) {
            long remaining = batchWindowNanos;
            while (remaining > 0 && queuedBytes < MAX_GROUP_BYTES) {
                try {
                    remaining = leader.turn.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Writer> group = new ArrayList<>();
        int bytes = 0;
        for (Writer x : queue) {
            if (!group.isEmpty() && bytes + x.bytes > MAX_GROUP_BYTES) {
                break;
            }
            group.add(x);
            bytes += x.bytes;
        }
        Throwable error = null;
        // A FileChannel closes itself, for every thread, when a thread blocked in it is interrupted: do the I/O with
        // the flag cleared and give it back afterwards. An interrupt that lands during the I/O still poisons.
        boolean interrupted = Thread.interrupted();
        queueLock.unlock();
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
            queueLock.lock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (error != null) {
            failure = error; // poisoned: this group and everything queued behind it fail with the original cause
            failQueued(error);
        } else {
            for (int i = 0; i < group.size(); i++) {
                Writer x = queue.pollFirst();
                x.done = true;
                x.turn.signal();
            }
            queuedBytes -= bytes;
            Writer next = queue.peekFirst();
            if (next != null) {
                next.turn.signal();
            }
        }
        queueChanged.signalAll();
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

    private void failQueued(Throwable cause) {
        for (Writer x : queue) {
            x.done = true;
            x.failure = cause;
            x.turn.signal();
        }
        queue.clear();
        queuedBytes = 0;
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
