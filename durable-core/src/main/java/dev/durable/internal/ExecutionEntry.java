package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.journal.SuspendedEvent;
import dev.durable.spi.plugin.ExecutionRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The runtime's in-memory record of one execution: small, so that many suspended executions cost little. The
 * journal holds everything else; each run reads it afresh.
 */
final class ExecutionEntry {
    final String name;
    final String function;
    /** The version of {@link #function} this execution is pinned to. */
    final int version;
    // the input is not held: a run reads it with the history, a second start of the name from the journal
    final Instant startedAt;
    final String parent;
    final String parentOperation;
    volatile CompletableFuture<Object> future = new CompletableFuture<>();

    volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    /**
     * Whether this process owns the execution and may run it and append to it. Always true with a single owner; with
     * a shared journal false for a mirror of an execution held elsewhere, kept only so that its caller's future
     * completes when it ends there.
     */
    volatile boolean held = true;
    /** Whether its callbacks are still to be indexed from its history; guarded by the {@link CallbackIndex}. */
    boolean callbacksUnread;

    volatile Instant finishedAt;
    /** Why the execution is {@link ExecutionStatus#BLOCKED} (its last run diverged from the journal), or null. */
    volatile ErrorInfo blockedBy;

    private volatile Outcome outcome;
    /** For plugins only: who this execution is to them, and each operation's state as its last run left it. */
    volatile ExecutionRef pluginRef;
    /** The plugins that observe this execution, asked once; {@code null} until then. */
    volatile dev.durable.spi.plugin.DurablePlugin[] pluginObservers;

    /** What the last run left of each operation, for plugins; {@code null} before the first run in this process. */
    volatile RunChanges seenByLastRun;

    /**
     * Orders the execution's records: operation records are appended under the read lock (together, so they share
     * forces), its end under the write lock after checking it had not ended. So the end is always the execution's
     * last record, and opening a runtime can tell ended executions from their last record alone. Made when first
     * needed: a runtime may hold a million executions that never run while it is open.
     */
    private volatile ReentrantReadWriteLock appends;

    // Run scheduling, guarded by this.
    boolean running;
    boolean rerun;
    DurableClock.Timer timer;
    /** Whether the last run suspended (rather than halted), and until when ({@code null}: an outside event). */
    boolean suspended;

    Instant wakeAt;
    /** The callbacks the journal said it awaited when the runtime opened, until the callback index takes them. */
    private List<String> awaitedAtOpen;

    /** How an execution ended: status with the result's JSON or the error. */
    record Outcome(ExecutionStatus status, String result, ErrorInfo error) {
        /** Whether an operator ends it (a cancel, or failing it blocked), rather than its own run. */
        boolean byOperator() {
            return status == ExecutionStatus.CANCELLED
                    || error != null && DurableEngine.OPERATOR_FAILURE.equals(error.type());
        }
    }

    ExecutionEntry(
            String name, String function, int version, Instant startedAt, String parent, String parentOperation) {
        this.name = name;
        this.function = function;
        this.version = version;
        this.startedAt = startedAt;
        this.parent = parent;
        this.parentOperation = parentOperation;
    }

    /**
     * An execution as its first and last record have it; suspended as its last record says if that is the record of
     * its suspension and the only one its last run did not see ({@code count}: how many records it has; -1: do not
     * trust such records).
     */
    static ExecutionEntry fromJournal(String id, JournalRecord first, JournalRecord last, int count) {
        return fromJournal(id, first, last, count, UnaryOperator.identity());
    }

    /**
     * As {@link #fromJournal(String, JournalRecord, JournalRecord, int)}, with function names passed through
     * {@code names} so that executions read together share one copy of each.
     */
    static ExecutionEntry fromJournal(
            String id, JournalRecord first, JournalRecord last, int count, UnaryOperator<String> names) {
        if (first.type() != RecordType.EXECUTION_STARTED) {
            throw History.missingStart(id);
        }
        ExecutionEvent s = EventCodec.readExecution(first);
        ExecutionEntry e = new ExecutionEntry(
                id, names.apply(s.function()), s.functionVersion(), s.at(), s.parent(), s.parentOperation());
        if (!e.endedBy(last) && count > 0 && last.type() == RecordType.EXECUTION_SUSPENDED) {
            SuspendedEvent suspension = EventCodec.readSuspended(last);
            if (suspension.records() == count - 1) {
                e.suspendedAtOpen(suspension.wakeAt(), suspension.callbacks());
            }
        }
        return e;
    }

    /** Ends this execution if {@code last}, its last record, is its end; returns whether it did. */
    boolean endedBy(JournalRecord last) {
        if (last == null || last.type() != RecordType.EXECUTION_FINISHED) {
            return false;
        }
        ExecutionEvent f = EventCodec.readExecution(last);
        return end(new Outcome(f.status(), f.result(), f.error()), f.at());
    }

    /**
     * Takes the state the journal's record of its last suspension gives, as the runtime opens: waiting, due at
     * {@code wakeAt}, awaiting {@code callbacks}; it runs again only when due or woken.
     */
    private synchronized void suspendedAtOpen(Instant wakeAt, List<String> callbacks) {
        status = ExecutionStatus.WAITING;
        suspended = true;
        this.wakeAt = wakeAt;
        awaitedAtOpen = callbacks.isEmpty() ? null : callbacks;
    }

    synchronized List<String> takeAwaitedAtOpen() {
        List<String> awaited = awaitedAtOpen;
        awaitedAtOpen = null;
        return awaited;
    }

    Outcome outcome() {
        return outcome;
    }

    /** Records the end; returns false if it had already ended (a cancel won a race, say). */
    synchronized boolean end(Outcome o, Instant at) {
        if (outcome != null) {
            return false;
        }
        outcome = o;
        finishedAt = at;
        status = o.status();
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        return true;
    }

    /** Holds the unfinished execution: its last run diverged from the journal. False if it has ended meanwhile. */
    synchronized boolean block(ErrorInfo why) {
        if (outcome != null) {
            return false;
        }
        status = ExecutionStatus.BLOCKED;
        blockedBy = why;
        suspended = false;
        wakeAt = null;
        return true;
    }

    /** Runs {@code append} (of an operation record) unless the execution has ended; false if it had. */
    boolean appendWhileOpen(Runnable append) {
        ReentrantReadWriteLock lock = appends();
        lock.readLock().lock();
        try {
            if (outcome != null) {
                return false;
            }
            append.run();
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code change} (of the end, or of a retry after it) once no operation record is being appended. */
    <T> T exclusively(java.util.function.Supplier<T> change) {
        ReentrantReadWriteLock lock = appends();
        lock.writeLock().lock();
        try {
            return change.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private ReentrantReadWriteLock appends() {
        ReentrantReadWriteLock lock = appends;
        if (lock == null) {
            synchronized (this) {
                lock = appends;
                if (lock == null) {
                    appends = lock = new ReentrantReadWriteLock();
                }
            }
        }
        return lock;
    }

    /** Clears a failure so the execution can run again (operator retry). */
    synchronized void reopen() {
        outcome = null;
        finishedAt = null;
        status = ExecutionStatus.RUNNING;
        if (future.isDone()) {
            future = new CompletableFuture<>();
        }
    }

    /** Why a run of this execution must stop now, or {@code null}. */
    String haltReason(boolean closing) {
        if (outcome != null && outcome.status() == ExecutionStatus.CANCELLED) {
            return "execution '" + name + "' was cancelled";
        }
        if (closing) {
            return "the runtime is closing; execution '" + name + "' resumes when it is opened again";
        }
        return null;
    }

    ExecutionInfo info() {
        ErrorInfo blocked = status == ExecutionStatus.BLOCKED ? blockedBy : null;
        return new ExecutionInfo(
                name,
                function,
                version,
                status,
                startedAt,
                finishedAt,
                parent,
                blocked == null ? null : blocked.message());
    }

    /** Completes the future of an ended execution; {@code fn} (null if not registered) reads its result. */
    void completeFuture(RegisteredFunction fn, dev.durable.SerDes serdes, Object liveValue, Throwable liveFailure) {
        Outcome o = outcome;
        switch (o.status()) {
            case SUCCEEDED -> {
                if (liveValue != null) {
                    future.complete(liveValue);
                } else {
                    try {
                        // a process without the function (a client) gets the result as plain JSON values
                        future.complete(
                                o.result() == null
                                        ? null
                                        : serdes.deserialize(o.result(), fn != null ? fn.outputType() : Object.class));
                    } catch (RuntimeException ex) {
                        future.completeExceptionally(ex);
                    }
                }
            }
            case FAILED -> {
                Throwable cause = liveFailure != null
                        ? liveFailure
                        : o.error().rebuild(fn != null ? fn.classLoader() : DurableEngine.class.getClassLoader());
                future.completeExceptionally(new ExecutionFailedException(
                        "execution '" + name + "' failed: " + o.error().summary(), o.error(), cause));
            }
            default ->
                future.completeExceptionally(new ExecutionCancelledException("execution '" + name + "' was cancelled"));
        }
    }

    /**
     * This execution, if a start of {@code functionName} with {@code inputJson} names it again; else a conflict.
     * {@code journaled} reads the input it was started with.
     */
    ExecutionEntry checkSameStart(String functionName, String inputJson, Supplier<String> journaled) {
        if (!function.equals(functionName)) {
            throw new ExecutionConflictException("execution '" + name + "' already exists for function '" + function
                    + "', not '" + functionName + "'; choose another execution name");
        }
        String started = journaled.get();
        if (!sameJson(started, inputJson)) {
            throw new ExecutionConflictException("execution '" + name + "' already exists with a"
                    + " different input (journaled: " + abbreviate(started) + ", now: "
                    + abbreviate(inputJson) + "); start it with the same input to get the existing execution,"
                    + " or choose another name");
        }
        return this;
    }

    private static boolean sameJson(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        try {
            return EventCodec.MAPPER.readTree(a).equals(EventCodec.MAPPER.readTree(b));
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
