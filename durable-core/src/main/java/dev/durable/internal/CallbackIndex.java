package dev.durable.internal;

import dev.durable.spi.journal.History;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which execution each callback belongs to, and its live state, by callback id. Built without reading histories:
 * opening the runtime only notes which executions have not been read yet; a callback created in this process is
 * added when it is created, and the callbacks of an execution from before the open are added all at once when its
 * history is first read, by its first run or by a lookup that misses. A miss reads those executions one at a time,
 * unfinished ones first (they are the ones whose callbacks can still be completed), until it finds the id; each is
 * read once. Forgetting an execution removes its callbacks.
 */
final class CallbackIndex {
    private final Map<String, CallbackRef> byId = new ConcurrentHashMap<>();
    /** Guarded by this, as are the queues of unread executions. */
    private final Map<String, List<CallbackRef>> byExecution = new HashMap<>();
    /**
     * The names of executions whose callbacks are not indexed yet, unfinished ones and ended ones, in the order they
     * were noted. Whether one is still unread is its entry's {@link ExecutionEntry#callbacksUnread} (a name stays
     * queued after it was read, or after its execution was forgotten, until a lookup passes it): a runtime may open
     * over a million executions, and a set of their names would cost as much as the executions themselves.
     */
    private final ArrayDeque<String> unreadUnfinished = new ArrayDeque<>();

    private final ArrayDeque<String> unreadEnded = new ArrayDeque<>();
    /** The execution of a name, if this process holds it. */
    private final Function<String, ExecutionEntry> held;

    /**
     * Which unread execution awaits a callback, as the journal's record of its suspension says: a lookup of that id
     * reads that execution first instead of every unread one.
     */
    private final Map<String, String> hints = new ConcurrentHashMap<>();

    CallbackIndex(Function<String, ExecutionEntry> held) {
        this.held = held;
    }

    /** Notes an execution whose callbacks are not read yet (found in the journal when the runtime opened, say). */
    synchronized void unread(ExecutionEntry e, boolean ended) {
        if (!e.callbacksUnread) {
            e.callbacksUnread = true;
            (ended ? unreadEnded : unreadUnfinished).add(e.name);
        }
    }

    /** Notes that {@code execution}, unread, awaits callback {@code callbackId}. */
    void hint(String callbackId, String execution) {
        hints.put(callbackId, execution);
    }

    /** The unread execution hinted to await {@code callbackId}, or {@code null}; a hint is given out once. */
    String takeHint(String callbackId) {
        String execution = hints.remove(callbackId);
        return execution != null && isUnread(execution) ? execution : null;
    }

    /** Whether the callbacks of {@code execution} are still to be read from its history. */
    synchronized boolean isUnread(String execution) {
        ExecutionEntry e = held.apply(execution);
        return e != null && e.callbacksUnread;
    }

    /** The next execution to read for a lookup that missed (and no longer unread), or {@code null} if none is left. */
    synchronized String takeUnread() {
        for (ArrayDeque<String> from : List.of(unreadUnfinished, unreadEnded)) {
            for (String execution = from.poll(); execution != null; execution = from.poll()) {
                ExecutionEntry e = held.apply(execution);
                if (e != null && e.callbacksUnread) {
                    e.callbacksUnread = false;
                    return execution;
                }
            }
        }
        return null;
    }

    /** Adds a callback just created. */
    void add(CallbackRef ref) {
        byId.put(ref.id, ref);
        synchronized (this) {
            byExecution.computeIfAbsent(ref.execution, k -> new ArrayList<>(1)).add(ref);
        }
    }

    /**
     * The callback of a journaled CALLBACK operation: the one indexed already, else one built from the journal and
     * added, {@code awaited} if a waitForCallback made it; {@code added} receives it in the second case only (to arm
     * its timeout).
     */
    CallbackRef fromJournal(String execution, OpState op, boolean awaited, Consumer<CallbackRef> added) {
        CallbackRef[] fresh = new CallbackRef[1];
        CallbackRef ref =
                byId.computeIfAbsent(op.callbackId, k -> fresh[0] = CallbackRef.fromJournal(execution, op, awaited));
        if (ref == fresh[0]) {
            synchronized (this) {
                byExecution.computeIfAbsent(execution, k -> new ArrayList<>(1)).add(ref);
            }
            added.accept(ref);
        }
        return ref;
    }

    /** Adds every callback in {@code history} of {@code execution}, which is no longer unread. */
    void read(String execution, History history, Consumer<CallbackRef> added) {
        for (OpState op : history.operations()) {
            if (op.type == OpType.CALLBACK && op.callbackId != null) {
                fromJournal(execution, op, CallbackOp.awaitedIn(history, op), added);
            }
        }
        synchronized (this) {
            // only now: a lookup that misses meanwhile reads it itself rather than give up too early
            ExecutionEntry e = held.apply(execution);
            if (e != null) {
                e.callbacksUnread = false;
            }
        }
    }

    CallbackRef get(String callbackId) {
        return byId.get(callbackId);
    }

    /** The indexed callbacks of {@code execution}. */
    synchronized List<CallbackRef> of(String execution) {
        List<CallbackRef> refs = byExecution.get(execution);
        return refs == null ? List.of() : List.copyOf(refs);
    }

    /** The earliest deadline of the pending callbacks of {@code execution} indexed here, or {@code null}. */
    Instant nextDeadline(String execution) {
        Instant next = null;
        for (CallbackRef ref : of(execution)) {
            synchronized (ref) {
                Instant d = ref.isPending() ? ref.deadline() : null;
                if (d != null && (next == null || d.isBefore(next))) {
                    next = d;
                }
            }
        }
        return next;
    }

    /** The ids of the pending callbacks of {@code execution} indexed here. */
    List<String> pendingIds(String execution) {
        return of(execution).stream()
                .filter(ref -> {
                    synchronized (ref) {
                        return ref.isPending();
                    }
                })
                .map(ref -> ref.id)
                .toList();
    }

    /** Removes the callbacks of {@code executions} and returns them. */
    synchronized List<CallbackRef> forget(Set<String> executions) {
        List<CallbackRef> gone = new ArrayList<>();
        for (String execution : executions) {
            List<CallbackRef> refs = byExecution.remove(execution);
            if (refs != null) {
                refs.forEach(r -> byId.remove(r.id));
                gone.addAll(refs);
            }
        }
        return gone;
    }

    Collection<CallbackRef> all() {
        return byId.values();
    }
}
