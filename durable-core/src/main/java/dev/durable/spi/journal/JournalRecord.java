package dev.durable.spi.journal;

import java.util.Objects;

/**
 * One journal entry. The payload is opaque to the journal (written by the engine's {@link EventCodec}).
 *
 * @param type what the record describes
 * @param executionId the execution it belongs to
 * @param operationId the operation it belongs to, or the empty string for execution records
 * @param payload the engine's bytes
 */
public record JournalRecord(RecordType type, String executionId, String operationId, byte[] payload) {
    public JournalRecord {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(executionId, "executionId must not be null");
        Objects.requireNonNull(operationId, "operationId must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
    }

    /** The payload as text: the engine's binary payloads rendered as JSON, any other payload as UTF-8. */
    public String payloadText() {
        return EventCodec.text(type, payload);
    }

    @Override
    public String toString() {
        return type + " " + executionId + (operationId.isEmpty() ? "" : " op " + operationId) + " " + payloadText();
    }
}
