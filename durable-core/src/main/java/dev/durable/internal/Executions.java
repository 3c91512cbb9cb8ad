package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.UnknownExecutionException;
import dev.durable.spi.journal.AlreadyStartedException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.plugin.ExecutionEnd;
import dev.durable.spi.plugin.ExecutionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The executions a runtime knows, each journaled before it changes: started by name (the same name and input return
 * the existing execution; another function or input is a conflict), ended, retried by an operator, and forgotten
 * after retention.
 */
final class Executions {
    private final Journal journal;
    private final DurableClock clock;
    private final Functions functions;
    private final PayloadCodec codec;
    private final Scheduler scheduler;
    /** Replaced once, by {@link #recover}, with a map sized for what the journal holds. */
    private volatile Map<String, ExecutionEntry> byName = new ConcurrentHashMap<>();
    /** Oldest first; guarded by itself, held only briefly. */
    private final List<ExecutionEntry> order = new ArrayList<>();

    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    private final Plugins plugins;
    private final Ownership ownership;
    /** Executions held by another process that a caller here may wait for. */
    private final Mirrors mirrors = new Mirrors();

    Executions(
            Journal journal,
            DurableClock clock,
            Functions functions,
            PayloadCodec codec,
            Scheduler scheduler,
            Plugins plugins,
            Ownership ownership) {
        this.plugins = plugins;
        this.ownership = ownership;
        plugins.executions(name -> byName.get(name));
        this.journal = journal;
        this.clock = clock;
        this.functions = functions;
        this.codec = codec;
        this.scheduler = scheduler;
    }

    /**
     * Loads each execution's start and, if it ended, its end. Only the first and last record of each execution are
     * read, so opening stays fast however long the histories are; operations are read when an execution runs.
     */
    void recover() {
        if (ownership.shared()) {
            return; // executions are loaded as they are claimed
        }
        boolean hints = journal.recordsSuspensions();
        Map<String, String> functionNames = new java.util.HashMap<>();
        UnaryOperator<String> shared = n -> n == null ? null : functionNames.computeIfAbsent(n, k -> k);
        journal.heads(h -> order.add(
                ExecutionEntry.fromJournal(h.executionId(), h.first(), h.last(), hints ? h.count() : -1, shared)));
        // sized once: grown a doubling at a time, a map of a million executions spends much of the open copying
        Map<String, ExecutionEntry> recovered = new ConcurrentHashMap<>(Math.max(16, order.size() * 4 / 3 + 1));
        recovered.putAll(byName);
        for (ExecutionEntry e : order) {
            recovered.put(e.name, e);
        }
        byName = recovered;
        for (ExecutionEntry e : order) {
            // a child that ended while its parent was suspended: the parent's wake-up was in memory only
            ExecutionEntry parent = e.parent == null || e.outcome() == null ? null : byName.get(e.parent);
            if (parent != null && parent.outcome() == null && parent.suspended) {
                parent.suspended = false;
            }
        }
    }

    /** The input execution {@code name} was started with, as journaled; {@code null} if it has no start record. */
    private String journaledInput(String name) {
        JournalRecord first = journal.first(name);
        return first == null ? null : EventCodec.readExecution(first).input();
    }

    /** An execution as its first and last record have it, or {@code null} if the journal has none of that name. */
    private ExecutionEntry load(String id) {
        JournalRecord first = journal.first(id);
        return first == null ? null : ExecutionEntry.fromJournal(id, first, journal.last(id), -1);
    }

    // ---- executions shared with other processes -------------------------------------------------------------

    /**
     * Takes over execution {@code name}, which this process now owns: loaded from the journal afresh (another
     * process may have run it), keeping the future of its mirror if a caller here waits for it. Returns {@code null}
     * if the journal has no execution of that name.
     */
    ExecutionEntry adopt(String name) {
        ExecutionEntry held = byName.get(name);
        if (held != null) {
            return held;
        }
        ExecutionEntry e = load(name);
        if (e == null) {
            return null;
        }
        ExecutionEntry mirror = mirrors.take(name);
        if (mirror != null) {
            e.future = mirror.future;
        }
        synchronized (order) {
            held = byName.putIfAbsent(name, e);
            if (held != null) {
                return held;
            }
            order.add(e);
        }
        if (e.outcome() != null && mirror != null && !e.future.isDone()) {
            completeFuture(e, functions.get(e.function, e.version), null, null);
        }
        return e;
    }

    /** Forgets an execution this process no longer owns; a caller waiting for it still learns how it ends. */
    void evict(ExecutionEntry e) {
        synchronized (order) {
            if (!byName.remove(e.name, e)) {
                return;
            }
            order.remove(e);
        }
        mirrors.keep(e);
    }

    private void completeFromJournal(ExecutionEntry e) {
        completeFuture(e, functions.get(e.function, e.version), null, null);
    }

    /** The executions held elsewhere that a caller here may wait for. */
    Mirrors mirrors() {
        return mirrors;
    }

    /** Completes the future of a mirror whose execution ended in another process. */
    void endedElsewhere(String name) {
        mirrors.endedElsewhere(name, e -> e.endedBy(journal.last(name)), this::completeFromJournal);
    }

    /** Starts an execution of {@code fn}, or returns the existing one of that name if it has the same input. */
    ExecutionEntry start(
            RegisteredFunction fn,
            String executionName,
            Object input,
            SerDes inputSerdes,
            String parent,
            String parentOp) {
        if (parent == null) {
            Names.checkExecution(executionName);
            fn.checkInput(input, executionName);
        }
        String functionName = fn.name();
        String inputJson = codec.serialize(
                input, fn.inputType(), codec.or(inputSerdes), "the input of execution '" + executionName + "'");
        ExecutionEntry existing = known(executionName);
        if (existing != null) {
            return existing.checkSameStart(functionName, inputJson, () -> journaledInput(executionName));
        }
        // One start per name at a time; starts of different names journal concurrently (group commit).
        Object lock = startLocks.computeIfAbsent(executionName, k -> new Object());
        ExecutionEntry e;
        synchronized (lock) {
            try {
                scheduler.checkOpen();
                existing = known(executionName);
                if (existing != null) {
                    return existing.checkSameStart(functionName, inputJson, () -> journaledInput(executionName));
                }
                Instant now = clock.now();
                try {
                    journal.append(EventCodec.execution(
                            RecordType.EXECUTION_STARTED,
                            executionName,
                            ExecutionEvent.started(functionName, fn.version(), inputJson, now, parent, parentOp)));
                } catch (AlreadyStartedException elsewhere) {
                    existing = mirrors.find(executionName, this::load, this::completeFromJournal);
                    if (existing == null) {
                        throw elsewhere;
                    }
                    return existing.checkSameStart(functionName, inputJson, () -> journaledInput(executionName));
                }
                e = new ExecutionEntry(executionName, functionName, fn.version(), now, parent, parentOp);
                synchronized (order) {
                    byName.put(executionName, e);
                    order.add(e);
                }
            } finally {
                startLocks.remove(executionName, lock);
            }
        }
        if (plugins.on) {
            ExecutionRef ref = plugins.ref(e);
            plugins.fire("onExecutionStart", p -> p.onExecutionStart(ref));
        }
        scheduler.schedule(e);
        return e;
    }

    /**
     * The execution of that name held here, or a mirror already known of one held elsewhere, as the journal has it
     * now: the process holding it may have ended it since this one last looked (a parent woken by its child's end must
     * see that end, or it would wait again with nothing left to wake it).
     */
    private ExecutionEntry known(String name) {
        ExecutionEntry e = byName.get(name);
        if (e != null) {
            return e;
        }
        ExecutionEntry mirror = mirrors.known(name);
        if (mirror != null && mirror.outcome() == null) {
            endedElsewhere(name);
        }
        return mirror;
    }

    /**
     * Journals the end of an execution, completes its future and wakes its parent; false if it had already ended, or
     * if the journal refused the end of a run (an operator's cancel or failure it refuses throws instead).
     * {@code liveValue} and {@code liveFailure} are what the handler returned or threw, handed to waiting callers
     * as they are rather than read back from the journal.
     */
    boolean finish(ExecutionEntry e, ExecutionEntry.Outcome outcome, Object liveValue, Throwable liveFailure) {
        Instant now = clock.now();
        synchronized (e) {
            if (e.outcome() != null) {
                return false;
            }
            try {
                e.exclusively(() -> {
                    journal.append(EventCodec.execution(
                            RecordType.EXECUTION_FINISHED,
                            e.name,
                            ExecutionEvent.finished(outcome.status(), now, outcome.result(), outcome.error())));
                    return e.end(outcome, now);
                });
            } catch (LeaseLostException lost) {
                DurableEngine.LOG.warn("execution '{}' did not journal its end: {}", e.name, lost.getMessage());
                if (outcome.byOperator()) { // the operator learns why nothing changed
                    throw lost;
                }
                return false;
            } catch (JournalException j) {
                DurableEngine.LOG.error("execution '{}' could not journal its end: {}", e.name, j.getMessage(), j);
                if (!ownership.shared()) {
                    e.future.completeExceptionally(j); // with a shared journal it runs again and ends later
                }
                if (outcome.byOperator()) { // the operator learns why nothing changed
                    throw j;
                }
                return false;
            }
        }
        if (plugins.on) {
            ExecutionEnd end = new ExecutionEnd(plugins.ref(e), outcome.status(), now, outcome.error());
            plugins.fire("onExecutionEnd", p -> p.onExecutionEnd(end));
        }
        completeFuture(e, functions.get(e.function, e.version), liveValue, liveFailure);
        noteLastOfOldVersion(e);
        if (e.parent != null) {
            ExecutionEntry parent = byName.get(e.parent);
            if (parent != null) {
                scheduler.schedule(parent);
            } else {
                try {
                    ownership.wake(e.parent); // a hint: a shared journal wakes the parent with the end itself
                } catch (RuntimeException unreachable) {
                    DurableEngine.LOG.warn(
                            "the parent of execution '{}' was not woken: {}", e.name, unreachable.getMessage());
                }
            }
        }
        return true;
    }

    /** Says when an execution that ended was the last one on a version older than the newest registered. */
    private void noteLastOfOldVersion(ExecutionEntry e) {
        RegisteredFunction newest = functions.newest(e.function);
        if (newest == null || newest.version() == e.version) {
            return;
        }
        Integer left = unfinishedByVersion(e.function).get(e.version);
        if (left == null || left == 0) {
            DurableEngine.LOG.info(
                    "function '{}' version {} has no unfinished executions left: its code can be"
                            + " removed (version {} is the newest)",
                    e.function,
                    e.version,
                    newest.version());
        }
    }

    /** Completes the future of an ended execution; {@code fn} (null if not registered) reads its result. */
    void completeFuture(ExecutionEntry e, RegisteredFunction fn, Object liveValue, Throwable liveFailure) {
        e.completeFuture(fn, codec.serdes(), liveValue, liveFailure);
    }

    /** Journals an operator's retry of a failed execution and makes it unfinished again (not yet scheduled). */
    void retry(ExecutionEntry e) {
        synchronized (e) {
            if (e.status != ExecutionStatus.FAILED) {
                throw new IllegalStateException(
                        "execution '" + e.name + "' is " + e.status + "; only a FAILED execution can be retried");
            }
            e.exclusively(() -> {
                journal.append(EventCodec.execution(
                        RecordType.EXECUTION_RETRIED,
                        e.name,
                        ExecutionEvent.finished(ExecutionStatus.RUNNING, clock.now(), null, null)));
                e.reopen();
                return null;
            });
        }
    }

    /** Removes the executions that ended before {@code before} from the journal and from here; returns their names. */
    Set<String> forgetFinished(Instant before) {
        synchronized (order) {
            List<String> gone = new ArrayList<>();
            for (ExecutionEntry e : order) {
                if (e.outcome() != null && e.finishedAt != null && e.finishedAt.isBefore(before)) {
                    gone.add(e.name);
                }
            }
            if (gone.isEmpty()) {
                return Set.of();
            }
            journal.forget(gone);
            Set<String> set = Set.copyOf(gone);
            order.removeIf(e -> set.contains(e.name));
            set.forEach(byName::remove);
            return set;
        }
    }

    /** How many unfinished executions each registered version of function {@code name} has, oldest version first. */
    SortedMap<Integer, Integer> unfinishedByVersion(String name) {
        SortedMap<Integer, Integer> counts = new TreeMap<>();
        functions.versions(name).forEach(v -> counts.put(v, 0));
        for (ExecutionEntry e : snapshot()) {
            if (e.function.equals(name) && e.outcome() == null) {
                counts.merge(e.version, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** The execution of that name: held here, or (with a shared journal) a mirror of one held elsewhere. */
    ExecutionEntry find(String executionName) {
        ExecutionEntry e = byName.get(executionName);
        if (e == null && ownership.shared()) {
            e = mirrors.find(executionName, this::load, this::completeFromJournal); // held by another process
        }
        return e;
    }

    /** The execution of that name if this process holds it. */
    ExecutionEntry held(String executionName) {
        return byName.get(executionName);
    }

    /**
     * The execution of that name as {@link #find} has it, a mirror already known read again from the journal, for a
     * caller who asks for it by name (its status must be current, not as of the last poll).
     */
    ExecutionEntry get(String executionName) {
        Objects.requireNonNull(executionName, "executionName must not be null");
        ExecutionEntry known = known(executionName);
        ExecutionEntry e = known != null ? known : find(executionName);
        if (e == null) {
            throw new UnknownExecutionException("no execution named '" + executionName + "' exists in this runtime's"
                    + " journal; list executions to see the names (names are case-sensitive)");
        }
        return e;
    }

    /** Every execution, oldest first. */
    List<ExecutionEntry> snapshot() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }
}
