package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.SerDes;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Encodes the engine's own record payloads (never user types: those go through {@link SerDes}, and their text is
 * carried as it is). Payloads are written in a compact binary form; records written as JSON before it are read as
 * they were.
 */
public final class EventCodec {
    public static final ObjectMapper MAPPER =
            JsonSerDes.defaultMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    private static final byte[] CALLBACK_FIELD = "\"callbackId\"".getBytes(StandardCharsets.UTF_8);

    private EventCodec() {}

    public static JournalRecord operation(String execution, String opId, OpEvent event) {
        return new JournalRecord(RecordType.OPERATION, execution, opId, BinaryEvents.write(event));
    }

    public static JournalRecord execution(RecordType type, String execution, ExecutionEvent event) {
        return new JournalRecord(type, execution, "", BinaryEvents.write(event));
    }

    public static JournalRecord suspended(String execution, SuspendedEvent event) {
        return new JournalRecord(RecordType.EXECUTION_SUSPENDED, execution, "", BinaryEvents.write(event));
    }

    public static SuspendedEvent readSuspended(JournalRecord r) {
        return read(r, SuspendedEvent.class, BinaryEvents::readSuspended);
    }

    public static OpEvent readOperation(JournalRecord r) {
        return read(r, OpEvent.class, BinaryEvents::readOperation);
    }

    public static ExecutionEvent readExecution(JournalRecord r) {
        return read(r, ExecutionEvent.class, BinaryEvents::readExecution);
    }

    /**
     * Whether {@code r} may create a callback: an operation record holding a callback id. Answered without decoding
     * the record, so a journal can index callbacks on its commit path.
     */
    public static boolean mayCreateCallback(JournalRecord r) {
        if (r.type() != RecordType.OPERATION) {
            return false;
        }
        byte[] p = r.payload();
        if (!BinaryEvents.isBinary(p)) {
            return contains(p, CALLBACK_FIELD);
        }
        try {
            return BinaryEvents.hasCallbackId(p);
        } catch (RuntimeException e) {
            throw unreadable(r, e);
        }
    }

    /** A payload as text: JSON as it is, the binary form rendered as the JSON of its event. */
    public static String text(RecordType type, byte[] payload) {
        if (!BinaryEvents.isBinary(payload)) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        try {
            Object event = switch (payload.length > 1 ? payload[1] : 0) {
                case BinaryEvents.OPERATION -> BinaryEvents.readOperation(payload);
                case BinaryEvents.EXECUTION -> BinaryEvents.readExecution(payload);
                case BinaryEvents.SUSPENSION -> BinaryEvents.readSuspended(payload);
                default -> null;
            };
            return event == null
                    ? "<" + payload.length + " bytes of type " + type + ">"
                    : new String(write(event), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return "<" + payload.length + " unreadable bytes: " + e.getMessage() + ">";
        }
    }

    /** Any value as the engine's JSON (errors kept beside a record, say). */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode journal record " + value, e);
        }
    }

    private static <T> T read(JournalRecord r, Class<T> type, Function<byte[], T> binary) {
        byte[] p = r.payload();
        try {
            return BinaryEvents.isBinary(p) ? binary.apply(p) : MAPPER.readValue(p, type);
        } catch (java.io.IOException | RuntimeException e) {
            throw unreadable(r, e);
        }
    }

    private static JournalException unreadable(JournalRecord r, Exception e) {
        return new JournalException(
                "journal record of execution '" + r.executionId() + "' operation '" + r.operationId()
                        + "' has an unreadable payload (" + e.getMessage() + "): " + text(r.type(), r.payload()),
                e);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
