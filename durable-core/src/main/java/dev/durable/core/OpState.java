package dev.durable.core;

import java.time.Duration;
import java.time.Instant;

/** The latest known state of one operation, folded from its journaled events. */
final class OpState {
    final String id;
    final OpType type;
    final String name;
    OpStatus status;
    int attempt;
    Instant startedAt;
    Instant updatedAt;
    String result;
    ErrorInfo error;
    Instant until;
    String callbackId;
    Duration heartbeatTimeout;
    Instant lastHeartbeat;
    String valueType;
    String child;

    OpState(String id, OpEvent first) {
        this.id = id;
        this.type = first.type();
        this.name = first.name();
        this.startedAt = first.at();
    }

    void apply(OpEvent e) {
        if (e.status() == OpStatus.HEARTBEAT) {
            lastHeartbeat = e.at();
            return;
        }
        status = e.status();
        updatedAt = e.at();
        if (e.attempt() != null) {
            attempt = e.attempt();
        }
        if (e.result() != null) {
            result = e.result();
        }
        if (e.error() != null) {
            error = e.error();
        }
        if (e.until() != null) {
            until = e.until();
        }
        if (e.callbackId() != null) {
            callbackId = e.callbackId();
        }
        if (e.heartbeatTimeout() != null) {
            heartbeatTimeout = e.heartbeatTimeout();
        }
        if (e.valueType() != null) {
            valueType = e.valueType();
        }
        if (e.child() != null) {
            child = e.child();
        }
    }

    boolean isDone() {
        return status == OpStatus.SUCCEEDED || status == OpStatus.FAILED;
    }

    String describe() {
        return type + " '" + name + "'";
    }
}
