package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Reads records by position, fetching nearby records of the same segment with one read. */
final class RecordReader {
    private static final int WINDOW = 64 << 10;
    private final Path directory;
    private final SegmentLog files;
    private final CRC32C check = new CRC32C();
    private byte[] window = new byte[WINDOW];
    private long windowSequence = -1;
    private long windowStart;
    private int windowLength;

    /** Reads from {@code files}, under their read lock. */
    RecordReader(Path directory, SegmentLog files) {
        this.directory = directory;
        this.files = files;
    }

    /** The record at {@code positions[i]}, of execution {@code executionId} if the journal is as the index says. */
    JournalRecord read(long[] positions, int i, String executionId) {
        long position = positions[i];
        long sequence = Segment.sequenceOfPosition(position);
        long offset = Segment.offsetOfPosition(position);
        Segment segment = files.segment(sequence);
        if (segment == null) {
            throw new JournalException("the journal index of " + directory + " points into segment " + sequence
                    + ", which is gone; close the runtime and open it again to rebuild the index");
        }
        try {
            if (!inWindow(sequence, offset, RecordCodec.FRAME_HEADER)) {
                fill(segment, offset, span(positions, i, sequence, offset));
            }
            int at = (int) (offset - windowStart);
            int body = RecordCodec.bodyLength(window, at);
            if (body > 0
                    && body <= RecordCodec.MAX_BODY
                    && !inWindow(sequence, offset, RecordCodec.FRAME_HEADER + body)) {
                fill(segment, offset, RecordCodec.FRAME_HEADER + body);
                at = 0;
            }
            int r = RecordCodec.check(window, at, windowLength, segment.saltBytes, check);
            if (r < 0 || RecordCodec.type(window, at) == RecordCodec.FORGOTTEN) {
                throw new JournalException("the journal file " + segment.path + " is damaged at offset " + offset
                        + ", where the index has a record of execution '" + executionId + "' that was acknowledged: "
                        + RecordCodec.describe(r < 0 ? r : RecordCodec.BAD_TYPE) + ". Nothing was read. The file"
                        + " was damaged after the record was written: stop the runtime, run 'durable verify --journal "
                        + directory + "' to see every damaged segment, and restore the directory from a backup");
            }
            return RecordCodec.decode(window, at, executionId);
        } catch (IOException e) {
            throw new JournalException(
                    "cannot read the journal file " + segment.path + " at offset " + offset + ": " + e, e);
        }
    }

    private boolean inWindow(long sequence, long offset, int length) {
        return sequence == windowSequence && offset >= windowStart && offset + length <= windowStart + windowLength;
    }

    /** How much to read from {@code offset}: up to the furthest of the next records ahead of it in this segment within reach. */
    private int span(long[] positions, int i, long sequence, long offset) {
        long furthest = offset;
        for (int k = i + 1; k < positions.length; k++) {
            long p = positions[k];
            long at = Segment.offsetOfPosition(p);
            if (Segment.sequenceOfPosition(p) != sequence || at < offset || at - offset > WINDOW / 2) {
                break; // another segment, behind this record (positions of several executions), or out of reach
            }
            furthest = Math.max(furthest, at);
        }
        return (int) Math.min(WINDOW, furthest - offset + 1024);
    }

    private void fill(Segment segment, long offset, int length) throws IOException {
        if (window.length < length) {
            window = new byte[length];
        }
        ByteBuffer target = ByteBuffer.wrap(window, 0, length);
        int read = 0;
        while (target.hasRemaining()) {
            int n = segment.file.read(target, offset + read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        windowSequence = segment.sequence;
        windowStart = offset;
        windowLength = read;
    }
}
