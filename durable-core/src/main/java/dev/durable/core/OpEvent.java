package dev.durable.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * The payload of one {@link dev.durable.core.journal.RecordType#OPERATION} record. Fields not relevant to a given
 * change are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OpEvent(
        OpType type,
        String name,
        OpStatus status,
        Integer attempt,
        Instant at,
        String result,
        ErrorInfo error,
        Instant until,
        String callbackId,
        Duration heartbeatTimeout,
        String valueType,
        String child) {

    static OpEvent of(OpType type, String name, OpStatus status, Instant at) {
        return new OpEvent(type, name, status, null, at, null, null, null, null, null, null, null);
    }

    OpEvent attempt(int a) {
        return new OpEvent(type, name, status, a, at, result, error, until, callbackId, heartbeatTimeout, valueType, child);
    }

    OpEvent result(String r) {
        return new OpEvent(type, name, status, attempt, at, r, error, until, callbackId, heartbeatTimeout, valueType, child);
    }

    OpEvent error(ErrorInfo e) {
        return new OpEvent(type, name, status, attempt, at, result, e, until, callbackId, heartbeatTimeout, valueType, child);
    }

    OpEvent until(Instant u) {
        return new OpEvent(type, name, status, attempt, at, result, error, u, callbackId, heartbeatTimeout, valueType, child);
    }

    OpEvent callback(String id, Duration heartbeat, String typeName) {
        return new OpEvent(type, name, status, attempt, at, result, error, until, id, heartbeat, typeName, child);
    }

    OpEvent child(String c) {
        return new OpEvent(type, name, status, attempt, at, result, error, until, callbackId, heartbeatTimeout, valueType, c);
    }
}
