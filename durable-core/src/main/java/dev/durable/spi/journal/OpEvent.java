package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durable.ErrorInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * The payload of one {@link dev.durable.spi.journal.RecordType#OPERATION} record. Fields not relevant to a given
 * change are null.
 *
 * @param resultVersion the result version a step's result was written with ({@code @Step(resultVersion)},
 *     {@link dev.durable.StepConfig.Builder#resultVersion}); {@code null} means 1, so records written before result
 *     versions existed read as version 1 and version-1 records stay as they were
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
        Boolean replayChildren,
        Integer resultVersion) {

    public static OpEvent of(OpType type, String name, OpStatus status, Instant at) {
        return new OpEvent(type, name, status, null, at, null, null, null, null, null, null, null, null, null);
    }

    public OpEvent attempt(int a) {
        return new Builder(this).attempt(a).build();
    }

    public OpEvent result(String r) {
        return new Builder(this).result(r).build();
    }

    /** The result's version; version 1, the default, is not written. */
    public OpEvent resultVersion(int v) {
        return new Builder(this).resultVersion(v == 1 ? null : v).build();
    }

    /** The result version this event declares: 1 when it names none. */
    public int resultVersionOrDefault() {
        return resultVersion == null ? 1 : resultVersion;
    }

    public OpEvent error(ErrorInfo e) {
        return new Builder(this).error(e).build();
    }

    public OpEvent until(Instant u) {
        return new Builder(this).until(u).build();
    }

    public OpEvent callback(String id, Duration heartbeat, String typeName) {
        return new Builder(this).callback(id, heartbeat, typeName).build();
    }

    public OpEvent child(String c) {
        return new Builder(this).child(c).build();
    }

    /** Marks a result too large to journal: a replay rebuilds it by running the body again, its children replayed. */
    public OpEvent rebuiltOnReplay() {
        return new Builder(this).replayChildren(Boolean.TRUE).build();
    }

    /** A copy of an event with some fields changed: one place that lists every field. */
    private static final class Builder {
        private final OpEvent e;
        private Integer attempt;
        private String result;
        private ErrorInfo error;
        private Instant until;
        private String callbackId;
        private Duration heartbeatTimeout;
        private String valueType;
        private String child;
        private Boolean replayChildren;
        private Integer resultVersion;

        Builder(OpEvent e) {
            this.e = e;
            this.attempt = e.attempt;
            this.result = e.result;
            this.error = e.error;
            this.until = e.until;
            this.callbackId = e.callbackId;
            this.heartbeatTimeout = e.heartbeatTimeout;
            this.valueType = e.valueType;
            this.child = e.child;
            this.replayChildren = e.replayChildren;
            this.resultVersion = e.resultVersion;
        }

        Builder attempt(Integer a) {
            attempt = a;
            return this;
        }

        Builder result(String r) {
            result = r;
            return this;
        }

        Builder resultVersion(Integer v) {
            resultVersion = v;
            return this;
        }

        Builder error(ErrorInfo x) {
            error = x;
            return this;
        }

        Builder until(Instant u) {
            until = u;
            return this;
        }

        Builder callback(String id, Duration heartbeat, String typeName) {
            callbackId = id;
            heartbeatTimeout = heartbeat;
            valueType = typeName;
            return this;
        }

        Builder child(String c) {
            child = c;
            return this;
        }

        Builder replayChildren(Boolean r) {
            replayChildren = r;
            return this;
        }

        OpEvent build() {
            return new OpEvent(
                    e.type,
                    e.name,
                    e.status,
                    attempt,
                    e.at,
                    result,
                    error,
                    until,
                    callbackId,
                    heartbeatTimeout,
                    valueType,
                    child,
                    replayChildren,
                    resultVersion);
        }
    }
}
