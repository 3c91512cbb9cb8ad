package dev.durable.internal;

import java.util.Arrays;
import java.util.Map;

/**
 * What one run of a handler leaves of its operations, for the next run's count of operations changed in between
 * (plugins only): each operation's status and time as the run began, and the changes it journaled, in order. Appending
 * costs an array store, so a run of many operations pays no map upkeep; the map is built once, by the next run.
 */
final class RunChanges {
    private final Map<String, Long> atStart;
    private String[] ids = new String[16];
    private long[] marks = new long[16];
    private int size;

    /** {@code atStart}: a mutable map this object takes over; {@link #atEnd} adds the run's changes to it. */
    RunChanges(Map<String, Long> atStart) {
        this.atStart = atStart;
    }

    /** Notes that the run journaled {@code mark} for operation {@code id}. */
    synchronized void add(String id, long mark) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            marks = Arrays.copyOf(marks, size * 2);
        }
        ids[size] = id;
        marks[size] = mark;
        size++;
    }

    /** Each operation's mark as the run left it. Consumes this object: call once, after the run ended. */
    synchronized Map<String, Long> atEnd() {
        Map<String, Long> end = atStart; // the run is over: its map at start becomes its map at end
        for (int i = 0; i < size; i++) {
            end.put(ids[i], marks[i]);
        }
        return end;
    }
}
