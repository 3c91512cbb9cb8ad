package dev.durable.spi.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The compact encoding of the engine's record payloads, read and written without a reflective mapper: opening a
 * runtime decodes a record or two of every execution, and a run appends one or more per operation.
 *
 * <pre>
 * u8 {@link #MARKER}, u8 kind (1 operation, 2 execution, 3 suspension)
 * varint mask: bit i set when field i (in the order of the event record's components) is present
 * each present field in order: text as its UTF-8 (or, when it holds an unpaired surrogate, its UTF-16 code units big-endian) after a varint of
 * its length in bytes shifted left by one, the low bit set for UTF-16; whole numbers as varints (signed ones zigzag);
 * an instant or a duration as zigzag seconds and nanoseconds; an enum constant by name; a list of texts as its
 * size and each text; an error as the JSON the default mapper writes for {@link ErrorInfo}
 * </pre>
 *
 * A payload never starts with {@link #MARKER} when it is JSON (which starts with <code>{</code>), so records written
 * before this encoding are read as they were. A mask with a bit this version does not know means a newer version
 * wrote the record, and reading it is refused rather than guessed.
 */
final class BinaryEvents {
    static final byte MARKER = 0x02;
    static final byte OPERATION = 1, EXECUTION = 2, SUSPENSION = 3;
    private static final int OP_FIELDS = 14, EXECUTION_FIELDS = 9, SUSPENSION_FIELDS = 3;

    private BinaryEvents() {}

    static boolean isBinary(byte[] payload) {
        return payload.length > 0 && payload[0] == MARKER;
    }

    static byte[] write(OpEvent e) {
        Writer w =
                new Writer(OPERATION, e.result() == null ? 48 : 48 + e.result().length() * 3);
        Object[] fields = {
            e.type(),
            e.name(),
            e.status(),
            e.attempt(),
            e.at(),
            e.result(),
            e.error(),
            e.until(),
            e.callbackId(),
            e.heartbeatTimeout(),
            e.valueType(),
            e.child(),
            e.replayChildren(),
            e.resultVersion()
        };
        return w.fields(fields);
    }

    static byte[] write(ExecutionEvent e) {
        int text = length(e.input()) + length(e.result());
        Writer w = new Writer(EXECUTION, 48 + text * 3);
        Object[] fields = {
            e.function(),
            e.input(),
            e.at(),
            e.parent(),
            e.parentOperation(),
            e.status(),
            e.result(),
            e.error(),
            e.version()
        };
        return w.fields(fields);
    }

    static byte[] write(SuspendedEvent e) {
        Writer w = new Writer(SUSPENSION, 32 + e.callbacks().size() * 40);
        Object[] fields = {e.wakeAt(), e.callbacks().isEmpty() ? null : e.callbacks(), e.records()};
        return w.fields(fields);
    }

    static OpEvent readOperation(byte[] payload) {
        Reader r = new Reader(payload, OPERATION, OP_FIELDS);
        return new OpEvent(
                r.has(0) ? OpType.valueOf(r.text()) : null,
                r.has(1) ? r.text() : null,
                r.has(2) ? OpStatus.valueOf(r.text()) : null,
                r.has(3) ? (int) r.signed() : null,
                r.has(4) ? r.instant() : null,
                r.has(5) ? r.text() : null,
                r.has(6) ? r.error() : null,
                r.has(7) ? r.instant() : null,
                r.has(8) ? r.text() : null,
                r.has(9) ? r.duration() : null,
                r.has(10) ? r.text() : null,
                r.has(11) ? r.text() : null,
                r.has(12) ? r.varint() != 0 : null,
                r.has(13) ? (int) r.signed() : null);
    }

    static ExecutionEvent readExecution(byte[] payload) {
        Reader r = new Reader(payload, EXECUTION, EXECUTION_FIELDS);
        return new ExecutionEvent(
                r.has(0) ? r.text() : null,
                r.has(1) ? r.text() : null,
                r.has(2) ? r.instant() : null,
                r.has(3) ? r.text() : null,
                r.has(4) ? r.text() : null,
                r.has(5) ? ExecutionStatus.valueOf(r.text()) : null,
                r.has(6) ? r.text() : null,
                r.has(7) ? r.error() : null,
                r.has(8) ? (int) r.signed() : null);
    }

    static SuspendedEvent readSuspended(byte[] payload) {
        Reader r = new Reader(payload, SUSPENSION, SUSPENSION_FIELDS);
        Instant wakeAt = r.has(0) ? r.instant() : null;
        List<String> callbacks = List.of();
        if (r.has(1)) {
            int n = (int) r.varint();
            String[] ids = new String[n];
            for (int i = 0; i < n; i++) {
                ids[i] = r.text();
            }
            callbacks = Arrays.asList(ids);
        }
        return new SuspendedEvent(wakeAt, callbacks, r.has(2) ? (int) r.signed() : 0);
    }

    /** Whether an operation payload holds a callback id: read from the mask alone. */
    static boolean hasCallbackId(byte[] payload) {
        return new Reader(payload, OPERATION, OP_FIELDS).has(8);
    }

    static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static final class Writer {
        private byte[] buf;
        private int at;

        Writer(byte kind, int size) {
            buf = new byte[Math.max(16, size)];
            buf[0] = MARKER;
            buf[1] = kind;
            at = 2;
        }

        byte[] fields(Object[] fields) {
            long mask = 0;
            for (int i = 0; i < fields.length; i++) {
                if (fields[i] != null) {
                    mask |= 1L << i;
                }
            }
            varint(mask);
            for (Object f : fields) {
                if (f != null) {
                    field(f);
                }
            }
            return Arrays.copyOf(buf, at);
        }

        private void field(Object f) {
            if (f instanceof String s) {
                text(s);
            } else if (f instanceof Integer i) {
                varint(zigzag(i));
            } else if (f instanceof Instant t) {
                varint(zigzag(t.getEpochSecond()));
                varint(t.getNano());
            } else if (f instanceof Duration d) {
                varint(zigzag(d.getSeconds()));
                varint(d.getNano());
            } else if (f instanceof Enum<?> e) {
                text(e.name());
            } else if (f instanceof Boolean b) {
                varint(b ? 1 : 0);
            } else if (f instanceof List<?> list) {
                varint(list.size());
                list.forEach(s -> text((String) s));
            } else if (f instanceof ErrorInfo error) {
                bytes(EventCodec.write(error));
            } else {
                throw new IllegalStateException("no encoding for a journal field of " + f.getClass());
            }
        }

        /**
         * A text: UTF-8 with its length shifted left by one; a text UTF-8 cannot hold (an unpaired surrogate, which
         * a JSON string may carry) as its UTF-16 code units with the low bit set, so every text reads back exactly.
         */
        private void text(String s) {
            boolean utf16 = hasUnpairedSurrogate(s);
            byte[] b = utf16 ? chars(s) : s.getBytes(StandardCharsets.UTF_8);
            varint(((long) b.length << 1) | (utf16 ? 1 : 0));
            raw(b);
        }

        /** The UTF-16 code units of {@code s}, big-endian, as they are (a charset encoder would replace lone ones). */
        private static byte[] chars(String s) {
            byte[] b = new byte[s.length() * 2];
            for (int i = 0; i < s.length(); i++) {
                b[2 * i] = (byte) (s.charAt(i) >> 8);
                b[2 * i + 1] = (byte) s.charAt(i);
            }
            return b;
        }

        private void bytes(byte[] b) {
            varint(b.length);
            raw(b);
        }

        private void raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, at, b.length);
            at += b.length;
        }

        private void varint(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[at++] = (byte) v;
        }

        private void room(int n) {
            if (at + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
            }
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private final long mask;
        private int at;

        Reader(byte[] buf, byte kind, int fields) {
            this.buf = buf;
            if (buf.length < 3 || buf[0] != MARKER) {
                throw new IllegalArgumentException("not a binary journal payload");
            }
            if (buf[1] != kind) {
                throw new IllegalArgumentException(
                        "a payload of kind " + buf[1] + " where kind " + kind + " was expected");
            }
            at = 2;
            mask = varint();
            if ((mask >>> fields) != 0) {
                throw new IllegalArgumentException("it has fields this version does not know (it was written by a"
                        + " newer version of Durable: open the journal with that version or newer)");
            }
        }

        boolean has(int field) {
            return (mask & (1L << field)) != 0;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a number longer than 64 bits at byte " + at);
        }

        long signed() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        String text() {
            long header = varint();
            int n = length(header >>> 1);
            String s;
            if ((header & 1) == 0) {
                s = new String(buf, at, n, StandardCharsets.UTF_8);
            } else {
                char[] chars = new char[n / 2];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = (char) (((buf[at + 2 * i] & 0xFF) << 8) | (buf[at + 2 * i + 1] & 0xFF));
                }
                s = new String(chars);
            }
            at += n;
            return s;
        }

        Instant instant() {
            long seconds = signed();
            return Instant.ofEpochSecond(seconds, varint());
        }

        Duration duration() {
            long seconds = signed();
            return Duration.ofSeconds(seconds, varint());
        }

        ErrorInfo error() {
            int n = length();
            try {
                return EventCodec.MAPPER.readValue(buf, at, n, ErrorInfo.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("an unreadable error: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new IllegalArgumentException("an unreadable error: " + e.getMessage(), e);
            } finally {
                at += n;
            }
        }

        private int length() {
            return length(varint());
        }

        private int length(long n) {
            if (n < 0 || n > buf.length - at) {
                throw new IllegalArgumentException("a field of " + n + " bytes at byte " + at + " of " + buf.length);
            }
            return (int) n;
        }
    }
}
