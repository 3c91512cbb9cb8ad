package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a file journal's records by the index, under the segments' read lock: one execution's records (all, or only
 * the first or last), and every execution's first and last record in one pass for opening a runtime.
 */
final class JournalReads {
    static final int ALL = 0, FIRST = 1, LAST = 2;

    private final Path directory;
    private final SegmentLog segments;
    private final ExecutionIndex index;
    private final GroupCommit committer;

    JournalReads(Path directory, SegmentLog segments, ExecutionIndex index, GroupCommit committer) {
        this.directory = directory;
        this.segments = segments;
        this.index = index;
        this.committer = committer;
    }

    /** All records of the execution, or only its first or last one. */
    List<JournalRecord> read(String executionId, int which) {
        return locked(() -> {
            long[] positions = index.positions(executionId);
            if (positions == null) {
                return List.of();
            }
            RecordReader reader = new RecordReader(directory, segments);
            int from = which == LAST ? positions.length - 1 : 0;
            int to = which == FIRST ? Math.min(1, positions.length) : positions.length;
            List<JournalRecord> records = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                records.add(checked(reader.read(positions, i, executionId), executionId));
            }
            return Collections.unmodifiableList(records);
        });
    }

    /**
     * Visits every execution's first and last record in index order. Two readers, one for first records and one for
     * last ones, each read ahead through the positions it will need next, so the files are read in large sequential
     * pieces rather than one small read per record.
     */
    void heads(Consumer<Journal.Head> each) {
        locked(() -> {
            ExecutionIndex.Ends ends = index.ends();
            RecordReader firsts = new RecordReader(directory, segments);
            RecordReader lasts = new RecordReader(directory, segments);
            for (int i = 0; i < ends.ids().length; i++) {
                String id = ends.ids()[i];
                JournalRecord first = checked(firsts.read(ends.first(), i, id), id);
                JournalRecord last = ends.count()[i] == 1 ? first : checked(lasts.read(ends.last(), i, id), id);
                each.accept(new Journal.Head(id, first, last, ends.count()[i]));
            }
            return null;
        });
    }

    private JournalRecord checked(JournalRecord record, String executionId) {
        if (!record.executionId().equals(executionId)) {
            throw new JournalException("the journal index of " + directory + " points at a record of execution "
                    + record.executionId() + " while reading execution " + executionId + "; close the runtime"
                    + " and open it again to rebuild the index from the files");
        }
        return record;
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        boolean interrupted = Thread.interrupted(); // see GroupCommit.commitAsLeader
        segments.readLock().lock();
        try {
            committer.ensureOpen();
            return read.get();
        } finally {
            segments.readLock().unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
