package dev.durable.runtime.local.journal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where each live execution's records are, in append order, and how many live records each segment holds (for
 * compaction). Executions keep the order in which they first appeared. Safe for concurrent use: every method holds
 * the index's own monitor, so a reader never sees a change half made (a commit group, a rewritten segment).
 */
final class ExecutionIndex {
    /**
     * Each live execution's record positions, ascending (segment, then offset), after their count: {@code {n, p1, ...,
     * pn}} and spare room. One array per execution and no other object: a journal may hold a million executions.
     */
    private final LinkedHashMap<String, long[]> executions = new LinkedHashMap<>();

    private final HashMap<Long, SegmentCount> segments = new HashMap<>();

    private static int size(long[] p) {
        return (int) p[0];
    }

    /** The positions of {@code p} as a plain array. */
    private static long[] plain(long[] p) {
        return Arrays.copyOfRange(p, 1, 1 + size(p));
    }

    /** Records and live records in one segment, and where the last record the index knows of ends. */
    static final class SegmentCount {
        int records;
        int live;
        long end = Segment.HEADER_SIZE;
    }

    /** Applies one record of {@code length} bytes found at {@code position}, exactly as it was appended. */
    synchronized void apply(byte type, String executionId, long position, int length) {
        SegmentCount count = count(Segment.sequenceOfPosition(position));
        count.records++;
        count.end = Segment.offsetOfPosition(position) + length;
        if (type == RecordCodec.FORGOTTEN) {
            forget(executionId);
            return;
        }
        count.live++;
        long[] p = executions.get(executionId);
        if (p == null) {
            p = new long[4];
            executions.put(executionId, p);
        } else if (size(p) + 1 == p.length) {
            p = Arrays.copyOf(p, p.length * 2);
            executions.put(executionId, p); // keeps its place in the order
        }
        p[1 + size(p)] = position;
        p[0]++;
    }

    /** Applies a commit group's records, written one after another from {@code start} in segment {@code sequence}. */
    synchronized void apply(long sequence, long start, List<GroupCommit.Writer> group) {
        long at = start;
        for (GroupCommit.Writer w : group) {
            for (int i = 0; i < w.frames.length; i++) {
                apply(w.frames[i][8], w.executionIds[i], Segment.position(sequence, at), w.frames[i].length);
                at += w.frames[i].length;
            }
        }
    }

    /** Drops an execution's records from the index; they become garbage for compaction. */
    synchronized void forget(String executionId) {
        long[] removed = executions.remove(executionId);
        if (removed == null) {
            return;
        }
        for (int i = 1; i <= size(removed); i++) {
            SegmentCount count = segments.get(Segment.sequenceOfPosition(removed[i]));
            if (count != null) {
                count.live--;
            }
        }
    }

    synchronized long[] positions(String executionId) {
        long[] p = executions.get(executionId);
        return p == null ? null : plain(p);
    }

    /** Every execution's first and last position and record count, in the order of {@link #executionIds()}. */
    record Ends(String[] ids, long[] first, long[] last, int[] count) {}

    synchronized Ends ends() {
        int n = executions.size();
        Ends ends = new Ends(new String[n], new long[n], new long[n], new int[n]);
        int i = 0;
        for (Map.Entry<String, long[]> e : executions.entrySet()) {
            long[] p = e.getValue();
            ends.ids[i] = e.getKey();
            ends.first[i] = p[1];
            ends.last[i] = p[size(p)];
            ends.count[i] = size(p);
            i++;
        }
        return ends;
    }

    synchronized int count(String executionId) {
        long[] p = executions.get(executionId);
        return p == null ? 0 : size(p);
    }

    synchronized List<String> executionIds() {
        return List.copyOf(executions.keySet());
    }

    /** Those of {@code executionIds} that the index holds, each once, in the given order. */
    synchronized List<String> known(Collection<String> executionIds) {
        List<String> known = new ArrayList<>();
        for (String id : new LinkedHashSet<>(executionIds)) {
            if (executions.containsKey(id)) {
                known.add(id);
            }
        }
        return known;
    }

    /** A copy of the counts of segment {@code sequence}, or {@code null} if the index knows no record in it. */
    synchronized SegmentCount countOf(long sequence) {
        SegmentCount count = segments.get(sequence);
        if (count == null) {
            return null;
        }
        SegmentCount copy = new SegmentCount();
        copy.records = count.records;
        copy.live = count.live;
        copy.end = count.end;
        return copy;
    }

    /** Restores the counts of one segment from a snapshot. */
    synchronized void restoreCount(long sequence, int records, int live, long end) {
        SegmentCount count = count(sequence);
        count.records = records;
        count.live = live;
        count.end = end;
    }

    /**
     * Restores one execution from a snapshot; executions must come in first-appearance order. {@code counted} is the
     * execution's positions after their count, as {@link IndexSnapshot.ExecutionState} holds them; it is kept.
     */
    synchronized void restore(String executionId, long[] counted) {
        executions.put(executionId, counted);
    }

    /** The index as of now, for the segment files {@code files}. */
    synchronized IndexSnapshot capture(Collection<Segment> files) {
        List<IndexSnapshot.SegmentState> segmentStates = new ArrayList<>();
        for (Segment s : files) {
            SegmentCount c = segments.get(s.sequence);
            segmentStates.add(
                    c == null
                            ? new IndexSnapshot.SegmentState(s.sequence, s.salt, Segment.HEADER_SIZE, 0, 0)
                            : new IndexSnapshot.SegmentState(s.sequence, s.salt, c.end, c.records, c.live));
        }
        List<IndexSnapshot.ExecutionState> executionStates = new ArrayList<>(executions.size());
        for (var e : executions.entrySet()) {
            executionStates.add(
                    new IndexSnapshot.ExecutionState(e.getKey(), Arrays.copyOf(e.getValue(), 1 + size(e.getValue()))));
        }
        return new IndexSnapshot(segmentStates, executionStates);
    }

    private SegmentCount count(long sequence) {
        return segments.computeIfAbsent(sequence, k -> new SegmentCount());
    }

    synchronized void dropSegment(long sequence) {
        segments.remove(sequence);
    }

    /** Whether the record at {@code position} is still part of a live execution. */
    synchronized boolean isLive(String executionId, long position) {
        long[] p = executions.get(executionId);
        return p != null && Arrays.binarySearch(p, 1, 1 + size(p), position) >= 0;
    }

    /**
     * After segment {@code sequence} was rewritten to end at {@code end}: each execution's records in it are now at
     * {@code moved} (the first {@code movedCount} positions). Executions forgotten meanwhile are left out.
     */
    synchronized void rewritten(long sequence, Map<String, long[]> moved, Map<String, Integer> movedCount, long end) {
        int live = 0;
        int records = 0;
        for (Map.Entry<String, long[]> e : moved.entrySet()) {
            int count = movedCount.get(e.getKey());
            records += count;
            live += relocate(e.getKey(), sequence, e.getValue(), count);
        }
        SegmentCount count = count(sequence);
        count.records = records;
        count.live = live;
        count.end = end;
    }

    /**
     * The execution's records in segment {@code sequence} are now at {@code moved}. Does nothing if the execution was
     * forgotten meanwhile.
     *
     * @return how many positions moved
     */
    private int relocate(String executionId, long sequence, long[] moved, int count) {
        long[] p = executions.get(executionId);
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
        System.arraycopy(moved, 0, p, from, count);
        return count;
    }

    /** Where {@code position} is or would go in {@code p}, as an index into the array (its count is at 0). */
    private static int lowerBound(long[] p, long position) {
        int k = Arrays.binarySearch(p, 1, 1 + size(p), position);
        return k >= 0 ? k : -k - 1;
    }

    /** Records that are no longer live (forgotten, or forget markers) in the segments before {@code sequence}. */
    synchronized long garbageBefore(long sequence) {
        long garbage = 0;
        for (Map.Entry<Long, SegmentCount> e : segments.entrySet()) {
            if (e.getKey() < sequence) {
                garbage += e.getValue().records - e.getValue().live;
            }
        }
        return garbage;
    }

    /** All records in the segments before {@code sequence}. */
    synchronized long recordsBefore(long sequence) {
        long records = 0;
        for (Map.Entry<Long, SegmentCount> e : segments.entrySet()) {
            if (e.getKey() < sequence) {
                records += e.getValue().records;
            }
        }
        return records;
    }
}
