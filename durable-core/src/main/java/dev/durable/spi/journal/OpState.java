package dev.durable.spi.journal;

import dev.durable.AttemptInfo;
import dev.durable.CallbackFailedException;
import dev.durable.ErrorInfo;
import dev.durable.JournalException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The latest known state of one operation, folded from its journaled events. */
public final class OpState {
    public final String id;
    public final OpType type;
    public final String name;
    public OpStatus status;
    public int attempt;
    public Instant startedAt;
    public Instant updatedAt;
    public String result;
    public ErrorInfo error;
    public Instant until;
    public String callbackId;
    public Duration heartbeatTimeout;
    public Instant lastHeartbeat;
    public String valueType;
    public String child;
    public boolean replayChildren;
    /** The version a step's result was journaled with; 1 for results journaled before result versions existed. */
    public int resultVersion = 1;
    /** Each attempt's outcome, for steps and polls. */
    public final List<AttemptInfo> attempts = new ArrayList<>();

    public OpState(String id, OpEvent first) {
        this.id = id;
        this.type = first.type();
        this.name = first.name();
        this.startedAt = first.at();
    }

    /**
     * Folds the next event of this operation in, after checking it is a legal change for the operation's kind
     * ({@link OpTransitions}).
     *
     * @throws JournalException naming the record when it is not (the journal was damaged or edited)
     */
    public void apply(OpEvent e, String execution) {
        checkTransition(e, execution);
        if (e.status() == OpStatus.HEARTBEAT) {
            lastHeartbeat = e.at();
            return;
        }
        recordAttempt(e);
        status = e.status();
        updatedAt = e.at();
        if (e.attempt() != null) {
            attempt = e.attempt();
        }
        if (e.result() != null) {
            result = e.result();
            resultVersion = e.resultVersionOrDefault();
        }
        if (e.error() != null) {
            error = e.error();
        } else if (e.status() == OpStatus.SUCCEEDED || e.status() == OpStatus.STARTED) {
            error = null; // a failed attempt followed by a success: the operation has no current error
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
        replayChildren = Boolean.TRUE.equals(e.replayChildren());
    }

    private void recordAttempt(OpEvent e) {
        if ((type != OpType.STEP && type != OpType.WAIT_FOR_CONDITION) || e.attempt() == null) {
            return;
        }
        AttemptInfo a = new AttemptInfo(e.attempt(), e.status().name(), e.at(), e.error());
        if (!attempts.isEmpty() && attempts.get(attempts.size() - 1).attempt() == e.attempt()) {
            attempts.set(attempts.size() - 1, a); // the outcome of an attempt journaled as started (at-most-once)
        } else {
            attempts.add(a);
        }
    }

    private void checkTransition(OpEvent e, String execution) {
        String problem;
        if (e.type() != type) {
            problem = "it says " + e.type() + " but the operation is a " + type;
        } else if (!java.util.Objects.equals(e.name(), name)) {
            problem = "it names the operation '" + e.name() + "' but it is '" + name + "'";
        } else {
            problem = OpTransitions.problem(type, status, e);
        }
        if (problem != null) {
            throw new JournalException("the journal record " + e.status() + " of operation " + id + " of execution '"
                    + execution + "' is not a legal change: " + problem + ". The journal was damaged or edited;"
                    + " inspect it with the CLI's verify and show commands and restore the directory from a backup");
        }
    }

    /** Makes a callback that failed because its payload did not convert pending again (operator retry). */
    public void reopenUnreadablePayload() {
        if (type == OpType.CALLBACK
                && status == OpStatus.FAILED
                && error != null
                && CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE.equals(error.type())) {
            status = OpStatus.STARTED;
            result = null;
            error = null;
        }
    }

    public boolean isDone() {
        return status == OpStatus.SUCCEEDED || status == OpStatus.FAILED;
    }

    public String describe() {
        return type + " '" + name + "'";
    }
}
