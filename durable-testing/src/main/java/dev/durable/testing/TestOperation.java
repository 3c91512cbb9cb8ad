package dev.durable.testing;

import dev.durable.ErrorInfo;
import dev.durable.OperationInfo;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import org.opentest4j.AssertionFailedError;

/**
 * One operation of a {@link TestExecution} as the journal records it: a snapshot, taken when it was looked up.
 *
 * <pre>{@code
 * TestOperation reserve = ex.operation("reserve");
 * assertThat(reserve.status()).isEqualTo("SUCCEEDED");
 * assertThat(reserve.attempts()).isEqualTo(2);
 * assertThat(reserve.result(new TypeToken<List<String>>() {})).containsExactly("item-A");
 * }</pre>
 */
public final class TestOperation {
    private final String execution;
    private final OperationInfo info;
    private final SerDes serdes;

    TestOperation(String execution, OperationInfo info, SerDes serdes) {
        this.execution = execution;
        this.info = info;
        this.serdes = serdes;
    }

    /** The operation id: {@code "3"}, or {@code "2/1"} inside child context {@code 2}. */
    public String id() {
        return info.id();
    }

    /** STEP, WAIT, CALLBACK, CONTEXT, PARALLEL, MAP, BRANCH, INVOKE, WAIT_FOR_CONDITION or NOW. */
    public String type() {
        return info.type();
    }

    public String name() {
        return info.name();
    }

    /** STARTED, SUCCEEDED, FAILED or RETRY (waiting for the next attempt or poll). */
    public String status() {
        return info.status();
    }

    /** Whether it has its final outcome. */
    public boolean isDone() {
        return info.isDone();
    }

    /** How many attempts a step took (polls, for waitForCondition); 0 where not applicable. */
    public int attempts() {
        return info.attempt();
    }

    /** Each attempt's outcome and error, in order (steps and polls): a retried step lists its failed attempts here. */
    public java.util.List<dev.durable.AttemptInfo> attemptHistory() {
        return info.attempts();
    }

    /** The journaled result as text (JSON by default), or {@code null}. */
    public String resultJson() {
        return info.result();
    }

    /**
     * The journaled result decoded to {@code type}.
     *
     * @throws AssertionFailedError if there is no result (the operation did not succeed)
     */
    public <T> T result(Class<T> type) {
        return type.cast(decode(type));
    }

    /** The journaled result decoded to a generic type. */
    @SuppressWarnings("unchecked")
    public <T> T result(TypeToken<T> type) {
        return (T) decode(type.type());
    }

    private Object decode(Type type) {
        if (info.result() == null) {
            throw new AssertionFailedError(describe() + " has no result: it is " + info.status()
                    + (info.error() == null ? "" : " (" + info.error().summary() + ")"));
        }
        return serdes.deserialize(info.result(), type);
    }

    /** The journaled failure (for RETRY, the last attempt's), or {@code null}. */
    public ErrorInfo error() {
        return info.error();
    }

    /**
     * How long it waits: for a WAIT, from its start to its end; for a callback, its timeout; for a step waiting to
     * retry or a poll waiting for the next check, the current delay.
     *
     * @throws AssertionFailedError if the operation has no such time
     */
    public Duration waitDuration() {
        Instant until = info.waitUntil();
        if (until != null) {
            if ("WAIT".equals(info.type()) || "CALLBACK".equals(info.type())) {
                return Duration.between(info.startedAt(), until);
            }
            if ("RETRY".equals(info.status())) {
                return Duration.between(info.updatedAt(), until);
            }
        }
        throw new AssertionFailedError(describe() + " (" + info.status() + ") has no wait duration");
    }

    /** When its wait, retry delay, poll or callback timeout is due, or {@code null}. */
    public Instant waitUntil() {
        return info.waitUntil();
    }

    /** The callback id, for callbacks; else {@code null}. */
    public String callbackId() {
        return info.callbackId();
    }

    /** The invoked child execution's name, for invoke; else {@code null}. */
    public String childExecution() {
        return info.childExecution();
    }

    /** When it was first journaled. */
    public Instant startedAt() {
        return info.startedAt();
    }

    /** When it last changed. */
    public Instant updatedAt() {
        return info.updatedAt();
    }

    /** Everything the journal says about it. */
    public OperationInfo info() {
        return info;
    }

    private String describe() {
        return "operation " + info.id() + " " + info.type() + " '" + info.name() + "' of execution '" + execution + "'";
    }

    @Override
    public String toString() {
        return info.id() + " " + info.type() + " '" + info.name() + "' " + info.status()
                + (info.result() == null ? "" : " " + RecordView.abbreviate(info.result()));
    }
}
