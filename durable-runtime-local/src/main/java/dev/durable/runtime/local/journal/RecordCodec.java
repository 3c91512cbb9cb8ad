package dev.durable.runtime.local.journal;

import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record (little-endian, as LevelDB):
 *
 * <pre>
 *  0  u32  body length: the bytes after this 8-byte frame header
 *  4  u32  CRC-32C of (segment salt as 8 bytes, body length field, body)
 *  8  u8   type: a {@link RecordType} code or {@link #FORGOTTEN}; 0 is never written
 *  9  u8   flags: {@link #FLAG_GROUP_END} on the last record of each commit group
 * 10  u16  execution id length n
 * 12  u16  operation id length m
 * 14  n    execution id, UTF-8
 * ..  m    operation id, UTF-8
 * ..       payload, to the end of the body
 * </pre>
 *
 * Mixing in the segment's salt makes frames left over from an earlier generation of a file fail their check, as in
 * SQLite's WAL. Covering the length field means a damaged length is caught as such instead of framing garbage.
 */
final class RecordCodec {
    static final int FRAME_HEADER = 8;
    static final int BODY_FIXED = 6;
    static final int MIN_FRAME = FRAME_HEADER + BODY_FIXED;
    /** Far above any payload the engine allows; a larger length field is damage, not data. */
    static final int MAX_BODY = 64 << 20;

    static final int MAX_ID_BYTES = 0xFFFF;

    /** Journal-internal record: the execution named by it is forgotten up to here (retention). */
    static final byte FORGOTTEN = 0x40;

    static final byte FLAG_GROUP_END = 1;

    // Reasons a frame does not check out, returned as negative values by check().
    static final int TRUNCATED_HEADER = -1;
    static final int UNWRITTEN = -2;
    static final int BAD_LENGTH = -3;
    static final int TRUNCATED = -4;
    static final int BAD_CHECKSUM = -5;
    static final int BAD_TYPE = -6;
    static final int BAD_IDS = -7;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RecordCodec() {}

    /** Encodes a user record; the checksum is filled in by {@link #seal} once the segment is known. */
    static byte[] encode(JournalRecord record) {
        return encode(record.type().code(), record.executionId(), record.operationId(), record.payload());
    }

    static byte[] encode(byte type, String executionId, String operationId, byte[] payload) {
        byte[] exec = executionId.getBytes(StandardCharsets.UTF_8);
        byte[] op = operationId.getBytes(StandardCharsets.UTF_8);
        if (exec.length > MAX_ID_BYTES || op.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("execution and operation ids are limited to " + MAX_ID_BYTES
                    + " bytes of UTF-8; got " + exec.length + " and " + op.length);
        }
        long body = (long) BODY_FIXED + exec.length + op.length + payload.length;
        if (body > MAX_BODY) {
            throw new IllegalArgumentException("a journal record is limited to " + MAX_BODY + " bytes; execution "
                    + executionId + " operation " + operationId + " has a payload of " + payload.length + " bytes");
        }
        byte[] frame = new byte[FRAME_HEADER + (int) body];
        INT.set(frame, 0, (int) body);
        frame[8] = type;
        SHORT.set(frame, 10, (short) exec.length);
        SHORT.set(frame, 12, (short) op.length);
        System.arraycopy(exec, 0, frame, MIN_FRAME, exec.length);
        System.arraycopy(op, 0, frame, MIN_FRAME + exec.length, op.length);
        System.arraycopy(payload, 0, frame, MIN_FRAME + exec.length + op.length, payload.length);
        return frame;
    }

    /** Sets the flags and the checksum of an encoded frame for the segment with {@code salt}. */
    static void seal(byte[] frame, byte[] salt, boolean groupEnd, CRC32C crc) {
        frame[9] = groupEnd ? FLAG_GROUP_END : 0;
        INT.set(frame, 4, checksum(frame, 0, frame.length - FRAME_HEADER, salt, crc));
    }

    static int checksum(byte[] buf, int offset, int bodyLength, byte[] salt, CRC32C crc) {
        crc.reset();
        crc.update(salt, 0, salt.length);
        crc.update(buf, offset, 4);
        crc.update(buf, offset + FRAME_HEADER, bodyLength);
        return (int) crc.getValue();
    }

    /**
     * Checks the frame at {@code offset}, with {@code limit} the end of the readable bytes.
     *
     * @return the frame's length if it is whole and valid, else one of the negative reasons
     */
    static int check(byte[] buf, int offset, int limit, byte[] salt, CRC32C crc) {
        if (limit - offset < FRAME_HEADER) {
            return limit == offset ? TRUNCATED_HEADER : isZero(buf, offset, limit) ? UNWRITTEN : TRUNCATED_HEADER;
        }
        int body = (int) INT.get(buf, offset);
        if (body == 0) {
            return UNWRITTEN;
        }
        if (body < BODY_FIXED || body > MAX_BODY) {
            return BAD_LENGTH;
        }
        if (limit - offset - FRAME_HEADER < body) {
            return TRUNCATED;
        }
        if ((int) INT.get(buf, offset + 4) != checksum(buf, offset, body, salt, crc)) {
            return BAD_CHECKSUM;
        }
        byte type = buf[offset + 8];
        if (type != FORGOTTEN && RecordType.fromCode(type) == null) {
            return BAD_TYPE;
        }
        if (BODY_FIXED + idLength(buf, offset, 10) + idLength(buf, offset, 12) > body) {
            return BAD_IDS;
        }
        return FRAME_HEADER + body;
    }

    /** Whether {@code check} failed only because the buffer ends before the frame does. */
    static boolean needsMoreBytes(int reason) {
        return reason == TRUNCATED_HEADER || reason == TRUNCATED;
    }

    static String describe(int reason) {
        return switch (reason) {
            case TRUNCATED_HEADER -> "the file ends inside a record header";
            case UNWRITTEN -> "unwritten (zero) bytes where a record should start";
            case BAD_LENGTH -> "a record length out of range";
            case TRUNCATED -> "the file ends inside a record";
            case BAD_CHECKSUM -> "a record whose checksum does not match";
            case BAD_TYPE -> "a record of unknown type";
            case BAD_IDS -> "a record whose id lengths exceed its size";
            default -> "an invalid record (" + reason + ")";
        };
    }

    static byte type(byte[] buf, int offset) {
        return buf[offset + 8];
    }

    static boolean isGroupEnd(byte[] buf, int offset) {
        return (buf[offset + 9] & FLAG_GROUP_END) != 0;
    }

    static int bodyLength(byte[] buf, int offset) {
        return (int) INT.get(buf, offset);
    }

    static String executionId(byte[] buf, int offset) {
        return new String(buf, offset + MIN_FRAME, idLength(buf, offset, 10), StandardCharsets.UTF_8);
    }

    /** Decodes a frame that {@link #check} accepted and that is a user record. */
    static JournalRecord decode(byte[] buf, int offset) {
        return decode(buf, offset, null);
    }

    /**
     * As {@link #decode(byte[], int)}; a record of execution {@code known} (when not {@code null}) gets that string as
     * its execution id instead of a copy, so reading an execution's records makes no string per record.
     */
    static JournalRecord decode(byte[] buf, int offset, String known) {
        int body = bodyLength(buf, offset);
        int execLength = idLength(buf, offset, 10);
        int opLength = idLength(buf, offset, 12);
        int at = offset + MIN_FRAME;
        String exec = known != null && isAscii(known, buf, at, execLength)
                ? known
                : new String(buf, at, execLength, StandardCharsets.UTF_8);
        String op = opLength == 0 ? "" : new String(buf, at + execLength, opLength, StandardCharsets.UTF_8);
        int payloadStart = at + execLength + opLength;
        byte[] payload = new byte[offset + FRAME_HEADER + body - payloadStart];
        System.arraycopy(buf, payloadStart, payload, 0, payload.length);
        return new JournalRecord(RecordType.fromCode(type(buf, offset)), exec, op, payload);
    }

    /** Whether {@code s} is ASCII and its bytes are {@code buf[at, at + length)}. */
    private static boolean isAscii(String s, byte[] buf, int at, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || buf[at + i] != (byte) c) {
                return false;
            }
        }
        return true;
    }

    private static int idLength(byte[] buf, int offset, int field) {
        return Short.toUnsignedInt((short) SHORT.get(buf, offset + field));
    }

    static boolean isZero(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static int getInt(byte[] buf, int offset) {
        return (int) INT.get(buf, offset);
    }

    static void putInt(byte[] buf, int offset, int value) {
        INT.set(buf, offset, value);
    }

    static long getLong(byte[] buf, int offset) {
        return (long) LONG.get(buf, offset);
    }

    static void putLong(byte[] buf, int offset, long value) {
        LONG.set(buf, offset, value);
    }
}
