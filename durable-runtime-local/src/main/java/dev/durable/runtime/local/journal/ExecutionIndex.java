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

    /** The positions of one execution's records, ascending (segment, then offset). */
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

    /** Records and live records in one segment, and where the last record the index knows of ends. */
    static final class SegmentCount {
        int records;
        int live;
        long end = Segment.HEADER_SIZE;
    }

    /** Applies one record of {@code length} bytes found at {@code position}, exactly as it was appended. */
    void apply(byte type, String executionId, long position, int length) {
        SegmentCount count = count(Segment.sequenceOfPosition(position));
        count.records++;
        count.end = Segment.offsetOfPosition(position) + length;
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

    /** Restores one execution from a snapshot; executions must come in first-appearance order. */
    void restore(String executionId, long[] positions) {
        Positions p = new Positions(0);
        p.at = positions;
        p.size = positions.length;
        executions.put(executionId, p);
    }

    Map<Long, SegmentCount> segmentCounts() {
        return segments;
    }

    void dropSegment(long sequence) {
        segments.remove(sequence);
    }

    /** Whether the record at {@code position} is still part of a live execution. */
    boolean isLive(String executionId, long position) {
        Positions p = executions.get(executionId);
        return p != null && Arrays.binarySearch(p.at, 0, p.size, position) >= 0;
    }

    /**
     * After a segment was rewritten: the execution's records in segment {@code sequence} are now at {@code moved}.
     * Does nothing if the execution was forgotten meanwhile.
     *
     * @return how many positions moved
     */
    int relocate(String executionId, long sequence, long[] moved, int count) {
        Positions p = executions.get(executionId);
        if (p == null) {
            return 0;
        }
        int from = lowerBound(p, Segment.position(sequence, 0));
        int to = lowerBound(p, Segment.position(sequence + 1, 0));
        if (to == from) {
            return 0; // forgotten, and its id used again by a new execution
        }
        if (to - from != count) {
            throw new IllegalStateException("execution " + executionId + " has " + (to - from) + " records in segment "
                    + sequence + " but " + count + " were copied");
        }
        System.arraycopy(moved, 0, p.at, from, count);
        return count;
    }

    private static int lowerBound(Positions p, long position) {
        int k = Arrays.binarySearch(p.at, 0, p.size, position);
        return k >= 0 ? k : -k - 1;
    }

    /** Records that are no longer live (forgotten, or forget markers) in the segments before {@code sequence}. */
    long garbageBefore(long sequence) {
        long garbage = 0;
        for (Map.Entry<Long, SegmentCount> e : segments.entrySet()) {
            if (e.getKey() < sequence) {
                garbage += e.getValue().records - e.getValue().live;
            }
        }
        return garbage;
    }

    /** All records in the segments before {@code sequence}. */
    long recordsBefore(long sequence) {
        long records = 0;
        for (Map.Entry<Long, SegmentCount> e : segments.entrySet()) {
            if (e.getKey() < sequence) {
                records += e.getValue().records;
            }
        }
        return records;
    }
}
