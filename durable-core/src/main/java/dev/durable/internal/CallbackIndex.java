package dev.durable.internal;

import dev.durable.spi.journal.History;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
    /** Guarded by this, as are the sets of unread executions. */
    private final Map<String, List<CallbackRef>> byExecution = new HashMap<>();
    /** Executions whose callbacks are not indexed yet. */
    private final Set<String> unreadUnfinished = new LinkedHashSet<>();

    private final Set<String> unreadEnded = new LinkedHashSet<>();
    /**
     * Which unread execution awaits a callback, as the journal's record of its suspension says: a lookup of that id
     * reads that execution first instead of every unread one.
     */
    private final Map<String, String> hints = new ConcurrentHashMap<>();

    /** Notes an execution found in the journal when the runtime opened, its callbacks not read yet. */
    synchronized void unread(String execution, boolean ended) {
        (ended ? unreadEnded : unreadUnfinished).add(execution);
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
        return unreadUnfinished.contains(execution) || unreadEnded.contains(execution);
    }

    /** The next execution to read for a lookup that missed (and no longer unread), or {@code null} if none is left. */
    synchronized String takeUnread() {
        Set<String> from = unreadUnfinished.isEmpty() ? unreadEnded : unreadUnfinished;
        Iterator<String> it = from.iterator();
        if (!it.hasNext()) {
            return null;
        }
        String execution = it.next();
        it.remove();
        return execution;
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
     * added; {@code added} receives it in the second case only (to arm its timeout).
     */
    CallbackRef fromJournal(String execution, OpState op, Consumer<CallbackRef> added) {
        CallbackRef[] fresh = new CallbackRef[1];
        CallbackRef ref = byId.computeIfAbsent(op.callbackId, k -> fresh[0] = CallbackRef.fromJournal(execution, op));
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
                fromJournal(execution, op, added);
            }
        }
        synchronized (this) {
            // only now: a lookup that misses meanwhile reads it itself rather than give up too early
            unreadUnfinished.remove(execution);
            unreadEnded.remove(execution);
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
            unreadUnfinished.remove(execution);
            unreadEnded.remove(execution);
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
