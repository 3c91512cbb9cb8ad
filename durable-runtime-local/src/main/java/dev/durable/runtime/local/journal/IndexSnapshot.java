package dev.durable.runtime.local.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The index as of some point, so that open indexes only what was appended after it (it still checks every
 * record, which is much cheaper than indexing it). It is only a cache: the segments remain the truth. A snapshot that does not match the segment files exactly (a
 * salt, a missing file, a file shorter than what it covers) is ignored and the segments are read in full.
 *
 * <p>Format ({@value #FILE_NAME}, little-endian, varints as in protobuf):
 *
 * <pre>
 * 8 bytes "DJINDEX\n", u32 version
 * varint segment count, then per segment: u64 sequence, u64 salt, varint covered end, varint records, varint live
 * varint execution count, then per execution in first-appearance order:
 *     varint id length, UTF-8 id, varint position count, positions as varint deltas from the previous one
 * u32 CRC-32C of everything before it
 * </pre>
 *
 * Taken by {@link ExecutionIndex#capture}; written as every metadata change is, by {@link MetadataFile#replace}.
 */
final class IndexSnapshot {
    static final String FILE_NAME = "index.snapshot";
    private static final byte[] MAGIC = "DJINDEX\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    record SegmentState(long sequence, long salt, long end, int records, int live) {}

    /** One execution: its positions after their count, {@code {n, p1, ..., pn}}, as the index keeps them. */
    record ExecutionState(String id, long[] positions) {}

    final List<SegmentState> segments;
    final List<ExecutionState> executions;

    IndexSnapshot(List<SegmentState> segments, List<ExecutionState> executions) {
        this.segments = segments;
        this.executions = executions;
    }

    void write(JournalStorage storage, Path directory) throws IOException {
        ByteArrayOutputStream out = new MetadataFile.Buffer(64 + executions.size() * 48);
        out.write(MAGIC);
        writeInt(out, VERSION);
        writeVarint(out, segments.size());
        for (SegmentState s : segments) {
            writeLong(out, s.sequence);
            writeLong(out, s.salt);
            writeVarint(out, s.end);
            writeVarint(out, s.records);
            writeVarint(out, s.live);
        }
        writeVarint(out, executions.size());
        for (ExecutionState e : executions) {
            byte[] id = e.id.getBytes(StandardCharsets.UTF_8);
            writeVarint(out, id.length);
            out.write(id);
            int n = (int) e.positions[0];
            writeVarint(out, n);
            long previous = 0;
            for (int k = 1; k <= n; k++) {
                writeVarint(out, e.positions[k] - previous);
                previous = e.positions[k];
            }
        }
        MetadataFile.replace(storage, directory, FILE_NAME, MetadataFile.withChecksum(out));
    }

    /** The snapshot in {@code directory}, or {@code null} if there is none or it does not check out. */
    static IndexSnapshot read(JournalStorage storage, Path directory) {
        byte[] bytes;
        try {
            bytes = MetadataFile.readIfExists(storage, directory, FILE_NAME);
        } catch (IOException e) {
            return null; // only a cache: the segments are read instead
        }
        if (bytes == null
                || bytes.length < MAGIC.length + 8
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || RecordCodec.getInt(bytes, MAGIC.length) != VERSION
                || !MetadataFile.checksumMatches(bytes)) {
            return null;
        }
        try {
            Cursor in = new Cursor(bytes, MAGIC.length + 4, bytes.length - 4);
            int segmentCount = in.count();
            List<SegmentState> segments = new ArrayList<>(segmentCount);
            for (int i = 0; i < segmentCount; i++) {
                segments.add(new SegmentState(
                        in.fixedLong(), in.fixedLong(), in.varint(), (int) in.varint(), (int) in.varint()));
            }
            int executionCount = in.count();
            List<ExecutionState> executions = new ArrayList<>(executionCount);
            for (int i = 0; i < executionCount; i++) {
                int idLength = in.count();
                String id = new String(bytes, in.skip(idLength), idLength, StandardCharsets.UTF_8);
                int n = in.count();
                long[] positions = new long[1 + n];
                positions[0] = n;
                long previous = 0;
                for (int k = 1; k <= n; k++) {
                    previous += in.varint();
                    positions[k] = previous;
                }
                executions.add(new ExecutionState(id, positions));
            }
            return in.at == in.limit ? new IndexSnapshot(segments, executions) : null;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null; // a checksum collision on a damaged file; read the segments instead
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        byte[] b = new byte[4];
        RecordCodec.putInt(b, 0, value);
        out.write(b, 0, 4);
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        byte[] b = new byte[8];
        RecordCodec.putLong(b, 0, value);
        out.write(b, 0, 8);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Cursor {
        final byte[] bytes;
        final int limit;
        int at;

        Cursor(byte[] bytes, int at, int limit) {
            this.bytes = bytes;
            this.at = at;
            this.limit = limit;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= limit) {
                    throw new IndexOutOfBoundsException(at);
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        int count() {
            long v = varint();
            if (v < 0 || v > limit) {
                throw new IllegalArgumentException("count " + v);
            }
            return (int) v;
        }

        long fixedLong() {
            if (at + 8 > limit) {
                throw new IndexOutOfBoundsException(at);
            }
            long v = RecordCodec.getLong(bytes, at);
            at += 8;
            return v;
        }

        int skip(int n) {
            if (at + n > limit) {
                throw new IndexOutOfBoundsException(at);
            }
            int start = at;
            at += n;
            return start;
        }
    }
}
