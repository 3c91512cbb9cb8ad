package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.SerDes;
import java.nio.charset.StandardCharsets;

/** Encodes the engine's own record payloads (never user types: those go through {@link SerDes}). */
public final class EventCodec {
    public static final ObjectMapper MAPPER =
            JsonSerDes.defaultMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

    private EventCodec() {}

    public static JournalRecord operation(String execution, String opId, OpEvent event) {
        return new JournalRecord(RecordType.OPERATION, execution, opId, write(event));
    }

    public static JournalRecord execution(RecordType type, String execution, ExecutionEvent event) {
        return new JournalRecord(type, execution, "", write(event));
    }

    public static JournalRecord suspended(String execution, SuspendedEvent event) {
        return new JournalRecord(RecordType.EXECUTION_SUSPENDED, execution, "", write(event));
    }

    public static SuspendedEvent readSuspended(JournalRecord r) {
        return read(r, SuspendedEvent.class);
    }

    public static OpEvent readOperation(JournalRecord r) {
        return read(r, OpEvent.class);
    }

    public static ExecutionEvent readExecution(JournalRecord r) {
        return read(r, ExecutionEvent.class);
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode journal record " + value, e);
        }
    }

    private static <T> T read(JournalRecord r, Class<T> type) {
        try {
            return MAPPER.readValue(r.payload(), type);
        } catch (java.io.IOException e) {
            throw new JournalException(
                    "journal record of execution '" + r.executionId() + "' operation '"
                            + r.operationId() + "' has an unreadable payload (" + e.getMessage() + "): "
                            + new String(r.payload(), StandardCharsets.UTF_8),
                    e);
        }
    }
}
