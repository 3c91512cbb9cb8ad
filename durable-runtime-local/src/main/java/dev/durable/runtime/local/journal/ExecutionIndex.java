package dev.durable.runtime.local.journal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each live execution's records are, in append order, and how many live records each segment holds (for
 * compaction). Executions keep the order in which they first appeared. Not thread-safe: the journal guards it.
 */
final class ExecutionIndex {
    private final LinkedHashMap<String, Positions> executions = new LinkedHashMap<>();
    private final HashMap<Long, SegmentCount> segments = new HashMap<>();

    /** The positions of one execution's records; the array prefix is never changed in place once published. */
    static final class Positions {
        long[] at;
        int size;

        Positions(int capacity) {
            at = new long[capacity];
        }

        void add(long position) {
            if (size == at.length) {
                at = Arrays.copyOf(at, Math.max(4, size * 2));
            }
            at[size++] = position;
        }

        long[] toArray() {
            return Arrays.copyOf(at, size);
        }
    }

    /** Records and live records in one segment. */
    static final class SegmentCount {
        int records;
        int live;
    }

    /** Applies one record found at {@code position}, exactly as it was appended. */
    void apply(byte type, String executionId, long position) {
        SegmentCount count = count(Segment.sequenceOfPosition(position));
        count.records++;
        if (type == RecordCodec.FORGOTTEN) {
            forget(executionId);
            return;
        }
        count.live++;
        executions.computeIfAbsent(executionId, k -> new Positions(4)).add(position);
    }

    /** Drops an execution's records from the index; they become garbage for compaction. */
    void forget(String executionId) {
        Positions removed = executions.remove(executionId);
        if (removed == null) {
            return;
        }
        for (int i = 0; i < removed.size; i++) {
            SegmentCount count = segments.get(Segment.sequenceOfPosition(removed.at[i]));
            if (count != null) {
                count.live--;
            }
        }
    }

    boolean contains(String executionId) {
        return executions.containsKey(executionId);
    }

    long[] positions(String executionId) {
        Positions p = executions.get(executionId);
        return p == null ? null : p.toArray();
    }

    List<String> executionIds() {
        return List.copyOf(executions.keySet());
    }

    int executionCount() {
        return executions.size();
    }

    Map<String, Positions> executions() {
        return executions;
    }

    SegmentCount count(long sequence) {
        return segments.computeIfAbsent(sequence, k -> new SegmentCount());
    }

    SegmentCount countIfPresent(long sequence) {
        return segments.get(sequence);
    }

    void dropSegment(long sequence) {
        segments.remove(sequence);
    }
}
