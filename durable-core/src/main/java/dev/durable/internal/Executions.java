package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.Names;
import dev.durable.SerDes;
import dev.durable.UnknownExecutionException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.plugin.ExecutionEnd;
import dev.durable.spi.plugin.ExecutionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, ExecutionEntry> byName = new ConcurrentHashMap<>();
    /** Oldest first; guarded by itself, held only briefly. */
    private final List<ExecutionEntry> order = new ArrayList<>();
    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    private final Plugins plugins;

    Executions(Journal journal, DurableClock clock, Functions functions, PayloadCodec codec, Scheduler scheduler,
               Plugins plugins) {
        this.plugins = plugins;
        plugins.executions(byName::get);
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
        for (String id : journal.executionIds()) {
            JournalRecord first = journal.first(id);
            if (first == null) {
                continue;
            }
            if (first.type() != RecordType.EXECUTION_STARTED) {
                throw History.missingStart(id);
            }
            ExecutionEvent s = EventCodec.readExecution(first);
            ExecutionEntry e = new ExecutionEntry(id, s.function(), s.functionVersion(), s.input(), s.at(), s.parent(),
                    s.parentOperation());
            JournalRecord last = journal.last(id);
            if (last.type() == RecordType.EXECUTION_FINISHED) {
                ExecutionEvent f = EventCodec.readExecution(last);
                e.end(new ExecutionEntry.Outcome(f.status(), f.result(), f.error()), f.at());
            }
            byName.put(id, e);
            order.add(e);
        }
    }

    /** Resumes the unfinished executions of a function version just registered; completes the ended ones' futures. */
    void registered(RegisteredFunction fn) {
        for (ExecutionEntry e : snapshot()) {
            if (e.function.equals(fn.name()) && e.version == fn.version()) {
                if (e.outcome() != null) {
                    completeFuture(e, fn, null, null);
                } else {
                    scheduler.schedule(e);
                }
            }
        }
    }

    /** Starts an execution of {@code fn}, or returns the existing one of that name if it has the same input. */
    ExecutionEntry start(RegisteredFunction fn, String executionName, Object input, SerDes inputSerdes, String parent,
                         String parentOp) {
        if (parent == null) {
            Names.checkExecution(executionName);
            fn.checkInput(input, executionName);
        }
        String functionName = fn.name();
        String inputJson = codec.serialize(input, fn.inputType(), codec.or(inputSerdes),
                "the input of execution '" + executionName + "'");
        ExecutionEntry existing = byName.get(executionName);
        if (existing != null) {
            return checkSame(existing, functionName, inputJson);
        }
        // One start per name at a time; starts of different names journal concurrently (group commit).
        Object lock = startLocks.computeIfAbsent(executionName, k -> new Object());
        ExecutionEntry e;
        synchronized (lock) {
            try {
                scheduler.checkOpen();
                existing = byName.get(executionName);
                if (existing != null) {
                    return checkSame(existing, functionName, inputJson);
                }
                Instant now = clock.now();
                journal.append(EventCodec.execution(RecordType.EXECUTION_STARTED, executionName,
                        ExecutionEvent.started(functionName, fn.version(), inputJson, now, parent, parentOp)));
                e = new ExecutionEntry(executionName, functionName, fn.version(), inputJson, now, parent, parentOp);
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

    private static ExecutionEntry checkSame(ExecutionEntry existing, String functionName, String inputJson) {
        if (!existing.function.equals(functionName)) {
            throw new ExecutionConflictException("execution '" + existing.name + "' already exists for function '"
                    + existing.function + "', not '" + functionName + "'; choose another execution name");
        }
        if (!sameJson(existing.inputJson, inputJson)) {
            throw new ExecutionConflictException("execution '" + existing.name + "' already exists with a"
                    + " different input (journaled: " + abbreviate(existing.inputJson) + ", now: "
                    + abbreviate(inputJson) + "); start it with the same input to get the existing execution,"
                    + " or choose another name");
        }
        return existing;
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

    /**
     * Journals the end of an execution, completes its future and wakes its parent; false if it had already ended.
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
                    journal.append(EventCodec.execution(RecordType.EXECUTION_FINISHED, e.name,
                            ExecutionEvent.finished(outcome.status(), now, outcome.result(), outcome.error())));
                    return e.end(outcome, now);
                });
            } catch (JournalException j) {
                DurableEngine.LOG.error("execution '{}' could not journal its end: {}", e.name, j.getMessage(), j);
                e.future.completeExceptionally(j);
                if (outcome.status() == ExecutionStatus.CANCELLED) {
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
            DurableEngine.LOG.info("function '{}' version {} has no unfinished executions left: its code can be"
                    + " removed (version {} is the newest)", e.function, e.version, newest.version());
        }
    }

    /** Completes the future of an ended execution; {@code fn} (null if not registered) reads its result. */
    void completeFuture(ExecutionEntry e, RegisteredFunction fn, Object liveValue, Throwable liveFailure) {
        ExecutionEntry.Outcome o = e.outcome();
        switch (o.status()) {
            case SUCCEEDED -> {
                if (liveValue != null || fn == null) {
                    e.future.complete(liveValue);
                } else {
                    try {
                        e.future.complete(codec.serdes().deserialize(o.result(), fn.outputType()));
                    } catch (RuntimeException ex) {
                        e.future.completeExceptionally(ex);
                    }
                }
            }
            case FAILED -> {
                Throwable cause = liveFailure != null ? liveFailure
                        : o.error().rebuild(fn != null ? fn.classLoader() : DurableEngine.class.getClassLoader());
                e.future.completeExceptionally(new ExecutionFailedException("execution '" + e.name + "' failed: "
                        + o.error().summary(), o.error(), cause));
            }
            default -> e.future.completeExceptionally(new ExecutionCancelledException("execution '" + e.name
                    + "' was cancelled"));
        }
    }

    /** Journals an operator's retry of a failed execution and makes it unfinished again (not yet scheduled). */
    void retry(ExecutionEntry e) {
        synchronized (e) {
            if (e.status != ExecutionStatus.FAILED) {
                throw new IllegalStateException("execution '" + e.name + "' is " + e.status
                        + "; only a FAILED execution can be retried");
            }
            e.exclusively(() -> {
                journal.append(EventCodec.execution(RecordType.EXECUTION_RETRIED, e.name,
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

    /** The executions with one of {@code statuses} (any status if none is given), oldest first. */
    List<ExecutionInfo> list(ExecutionStatus... statuses) {
        Set<ExecutionStatus> wanted = statuses.length == 0 ? EnumSet.allOf(ExecutionStatus.class)
                : EnumSet.copyOf(Arrays.asList(statuses));
        return snapshot().stream().map(ExecutionEntry::info).filter(i -> wanted.contains(i.status())).toList();
    }

    /** Everything the journal holds about an execution, with its live status. */
    ExecutionDetails describe(String executionName) {
        ExecutionEntry e = get(executionName);
        return JournalHistory.details(e.name, History.of(e.name, journal.read(e.name)), e.status);
    }

    ExecutionEntry find(String executionName) {
        return byName.get(executionName);
    }

    ExecutionEntry get(String executionName) {
        Objects.requireNonNull(executionName, "executionName must not be null");
        ExecutionEntry e = byName.get(executionName);
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
