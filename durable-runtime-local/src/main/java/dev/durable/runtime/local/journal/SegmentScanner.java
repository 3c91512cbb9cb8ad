package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** Reads a segment front to back, frame by frame, in large chunks. */
final class SegmentScanner {
    private static final int CHUNK = 1 << 20;

    /** Called for each valid frame; {@code buf[offset..]} holds it, {@code fileOffset} is where it starts. */
    interface FrameVisitor {
        void visit(byte[] buf, int offset, long fileOffset) throws IOException;
    }

    /**
     * Where the valid frames end: {@code reason} 0 if only the end of the file or zeros (preallocated space) follow,
     * else the {@link RecordCodec} reason the frame at {@code offset} was rejected. {@code records} valid frames came
     * before it, the last with {@code lastChecksum} in its checksum field.
     */
    record End(long offset, int reason, int records, int lastChecksum) {
        End(long offset, int reason) {
            this(offset, reason, 0, 0);
        }

        boolean clean() {
            return reason == 0;
        }
    }

    private final StorageFile file;
    private final long size;
    private byte[] buf = new byte[CHUNK];
    private long bufStart;
    private int len;

    private SegmentScanner(StorageFile file, long from) throws IOException {
        this.file = file;
        this.size = file.size();
        this.bufStart = from;
    }

    static End scan(StorageFile file, long from, byte[] salt, FrameVisitor visitor) throws IOException {
        return new SegmentScanner(file, from).run(salt, visitor);
    }

    private End run(byte[] salt, FrameVisitor visitor) throws IOException {
        CRC32C crc = new CRC32C();
        int pos = 0;
        int records = 0;
        long lastAt = -1;
        while (true) {
            if (len - pos < RecordCodec.FRAME_HEADER) {
                pos = refill(pos, RecordCodec.FRAME_HEADER);
            }
            if (len - pos >= RecordCodec.FRAME_HEADER) {
                int body = RecordCodec.bodyLength(buf, pos);
                if (body > 0 && body <= RecordCodec.MAX_BODY && len - pos < RecordCodec.FRAME_HEADER + body) {
                    pos = refill(pos, RecordCodec.FRAME_HEADER + body);
                }
            }
            long at = bufStart + pos;
            if (pos == len && at >= size) {
                return new End(at, 0, records, checksumAt(lastAt));
            }
            int r = RecordCodec.check(buf, pos, len, salt, crc);
            if (r < 0) {
                return new End(at, r == RecordCodec.UNWRITTEN && zeroFrom(pos) ? 0 : r, records, checksumAt(lastAt));
            }
            visitor.visit(buf, pos, at);
            records++;
            lastAt = at;
            pos += r;
        }
    }

    /** The checksum field of the frame at {@code frame} (0 if none): from the buffer if still there, else the file. */
    private int checksumAt(long frame) throws IOException {
        if (frame < 0) {
            return 0;
        }
        if (frame >= bufStart) {
            return RecordCodec.getInt(buf, (int) (frame - bufStart) + 4);
        }
        return RecordCodec.getInt(readRange(file, frame + 4, frame + 8), 0);
    }

    /** Whether every byte from {@code pos} in the buffer to the end of the file is zero: preallocated, unwritten. */
    private boolean zeroFrom(int pos) throws IOException {
        if (!RecordCodec.isZero(buf, pos, len)) {
            return false;
        }
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        for (long at = bufStart + len; at < size; ) {
            chunk.clear();
            int n = file.read(chunk, at);
            if (n < 0) {
                break;
            }
            if (!RecordCodec.isZero(chunk.array(), 0, n)) {
                return false;
            }
            at += n;
        }
        return true;
    }

    /** Moves the unread bytes to the front and reads until {@code need} bytes are there or the file ends. */
    private int refill(int pos, int need) throws IOException {
        int keep = len - pos;
        if (need > buf.length) {
            byte[] bigger = new byte[need];
            System.arraycopy(buf, pos, bigger, 0, keep);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, keep);
        }
        bufStart += pos;
        len = keep;
        ByteBuffer target = ByteBuffer.wrap(buf);
        while (len < buf.length && bufStart + len < size) {
            target.limit(buf.length).position(len);
            int n = file.read(target, bufStart + len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        return 0;
    }

    /** Reads {@code [from, to)} of a file into memory. */
    static byte[] readRange(StorageFile file, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
        file.readFully(buffer, from);
        return buffer.array();
    }
}
