package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durable.ErrorInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * The payload of one {@link dev.durable.spi.journal.RecordType#OPERATION} record. Fields not relevant to a given
 * change are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpEvent(
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
        String child,
        Boolean replayChildren) {

    public static OpEvent of(OpType type, String name, OpStatus status, Instant at) {
        return new OpEvent(type, name, status, null, at, null, null, null, null, null, null, null, null);
    }

    public OpEvent attempt(int a) {
        return new OpEvent(
                type,
                name,
                status,
                a,
                at,
                result,
                error,
                until,
                callbackId,
                heartbeatTimeout,
                valueType,
                child,
                replayChildren);
    }

    public OpEvent result(String r) {
        return new OpEvent(
                type,
                name,
                status,
                attempt,
                at,
                r,
                error,
                until,
                callbackId,
                heartbeatTimeout,
                valueType,
                child,
                replayChildren);
    }

    public OpEvent error(ErrorInfo e) {
        return new OpEvent(
                type,
                name,
                status,
                attempt,
                at,
                result,
                e,
                until,
                callbackId,
                heartbeatTimeout,
                valueType,
                child,
                replayChildren);
    }

    public OpEvent until(Instant u) {
        return new OpEvent(
                type,
                name,
                status,
                attempt,
                at,
                result,
                error,
                u,
                callbackId,
                heartbeatTimeout,
                valueType,
                child,
                replayChildren);
    }

    public OpEvent callback(String id, Duration heartbeat, String typeName) {
        return new OpEvent(
                type, name, status, attempt, at, result, error, until, id, heartbeat, typeName, child, replayChildren);
    }

    public OpEvent child(String c) {
        return new OpEvent(
                type,
                name,
                status,
                attempt,
                at,
                result,
                error,
                until,
                callbackId,
                heartbeatTimeout,
                valueType,
                c,
                replayChildren);
    }

    /** Marks a result too large to journal: a replay rebuilds it by running the body again, its children replayed. */
    public OpEvent rebuiltOnReplay() {
        return new OpEvent(
                type,
                name,
                status,
                attempt,
                at,
                result,
                error,
                until,
                callbackId,
                heartbeatTimeout,
                valueType,
                child,
                Boolean.TRUE);
    }
}
