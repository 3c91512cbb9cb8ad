package dev.durable.internal;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Executions another process holds, as seen from this one when processes share a journal: each is kept only while a
 * caller here may wait for its future (weakly, so a mirror nobody waits for costs nothing), and completed when it is
 * seen to end there.
 */
final class Mirrors {
    private final Map<String, WeakReference<ExecutionEntry>> byName = new ConcurrentHashMap<>();

    /** The mirror of that name already known, or {@code null}. */
    ExecutionEntry known(String name) {
        WeakReference<ExecutionEntry> ref = byName.get(name);
        return ref == null ? null : ref.get();
    }

    /** Removes and returns the mirror of an execution this process now holds, or {@code null}. */
    ExecutionEntry take(String name) {
        WeakReference<ExecutionEntry> ref = byName.remove(name);
        return ref == null ? null : ref.get();
    }

    /** Keeps an unfinished execution this process lets go of, for the callers still waiting for it. */
    void keep(ExecutionEntry e) {
        e.held = false;
        if (e.outcome() == null) {
            byName.put(e.name, new WeakReference<>(e));
        }
    }

    /**
     * The mirror of execution {@code name}: the known one, or one {@code load}ed from the journal ({@code null} if it
     * has none of that name). One that has ended is handed to {@code ended} and not kept.
     */
    ExecutionEntry find(String name, Function<String, ExecutionEntry> load, Consumer<ExecutionEntry> ended) {
        ExecutionEntry known = known(name);
        if (known != null) {
            return known;
        }
        ExecutionEntry e = load.apply(name);
        if (e == null) {
            return null;
        }
        e.held = false;
        if (e.outcome() != null) {
            ended.accept(e);
            return e;
        }
        WeakReference<ExecutionEntry> ref =
                byName.merge(name, new WeakReference<>(e), (old, fresh) -> old.get() != null ? old : fresh);
        ExecutionEntry kept = ref.get();
        return kept != null ? kept : e;
    }

    /** The names of the mirrors a caller here may still wait for. */
    List<String> awaited() {
        byName.values().removeIf(r -> r.get() == null);
        return List.copyOf(byName.keySet());
    }

    /**
     * Completes the mirror of an execution that ended elsewhere: {@code endFromJournal} ends it from the journal
     * (false if the journal does not show the end yet), then {@code ended} completes its future.
     */
    void endedElsewhere(String name, Predicate<ExecutionEntry> endFromJournal, Consumer<ExecutionEntry> ended) {
        WeakReference<ExecutionEntry> ref = byName.get(name);
        ExecutionEntry e = ref == null ? null : ref.get();
        if (e == null) {
            byName.remove(name);
            return;
        }
        if (endFromJournal.test(e)) {
            byName.remove(name, ref);
            ended.accept(e);
        }
    }
}
