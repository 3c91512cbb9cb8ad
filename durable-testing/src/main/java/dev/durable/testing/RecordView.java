package dev.durable.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.HistoryEvent;
import dev.durable.JsonSerDes;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A journal record read for people, through the typed history ({@link HistoryEvent}): what it says, in one line,
 * for failure messages and reports.
 */
final class RecordView {
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    private static final int MAX_VALUE = 120;

    final JournalRecord record;
    final HistoryEvent event;

    private RecordView(JournalRecord record, HistoryEvent event) {
        this.record = record;
        this.event = event;
    }

    static RecordView of(JournalRecord record) {
        return new RecordView(record, JournalHistory.events(List.of(record)).get(0));
    }

    /** When the record was written. */
    Instant at() {
        return event.at();
    }

    boolean isOperation() {
        return !event.isExecutionEvent();
    }

    /** The start of an at-most-once step attempt (the only STARTED record a STEP gets). */
    boolean isStepAttemptStart() {
        return event.isStepAttemptStart();
    }

    boolean isHeartbeat() {
        return event.kind() == HistoryEvent.Kind.CALLBACK_HEARTBEAT;
    }

    /** The operation's type (STEP, CALLBACK...), or {@code null} for execution records. */
    String operationType() {
        return event.operationType();
    }

    /** The operation's status as the journal states it: STARTED, SUCCEEDED, FAILED, RETRY or HEARTBEAT. */
    String status() {
        return switch (event.kind()) {
            case OPERATION_STARTED -> "STARTED";
            case OPERATION_SUCCEEDED, EXECUTION_SUCCEEDED -> "SUCCEEDED";
            case OPERATION_FAILED, OPERATION_TIMED_OUT, EXECUTION_FAILED -> "FAILED";
            case OPERATION_RETRYING -> "RETRY";
            case CALLBACK_HEARTBEAT -> "HEARTBEAT";
            case EXECUTION_CANCELLED -> "CANCELLED";
            case EXECUTION_STARTED -> "STARTED";
            case EXECUTION_RETRIED -> "RETRIED";
        };
    }

    /** E.g. {@code op 2 STEP 'charge' SUCCEEDED attempt 1 result 30}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        switch (record.type()) {
            case EXECUTION_STARTED -> {
                b.append("EXECUTION_STARTED function '").append(event.name()).append("'");
                append(b, "input", event.result());
                if (event.childExecution() != null) {
                    b.append(" invoked by '")
                            .append(event.childExecution())
                            .append("' op ")
                            .append(event.parentId());
                }
            }
            case EXECUTION_FINISHED -> {
                b.append("EXECUTION_FINISHED ").append(status());
                append(b, "result", event.result());
                appendError(b);
            }
            case EXECUTION_RETRIED -> b.append("EXECUTION_RETRIED");
            case OPERATION -> {
                b.append("op ")
                        .append(record.operationId())
                        .append(' ')
                        .append(event.operationType())
                        .append(" '")
                        .append(event.name())
                        .append("' ")
                        .append(status());
                append(
                        b,
                        "attempt",
                        event.attempt() == null ? null : event.attempt().toString());
                append(b, "result", event.result());
                append(b, "until", event.until() == null ? null : event.until().toString());
                append(b, "callback", event.callbackId());
                append(b, "child", event.childExecution());
                appendError(b);
            }
        }
        return b.toString();
    }

    private void appendError(StringBuilder b) {
        if (event.error() != null) {
            b.append(" error ").append(abbreviate(event.error().summary()));
        }
    }

    private static void append(StringBuilder b, String label, String value) {
        if (value != null) {
            b.append(' ').append(label).append(' ').append(abbreviate(value));
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        String one = s.replace('\n', ' ');
        return one.length() <= MAX_VALUE ? one : one.substring(0, MAX_VALUE - 3) + "...";
    }

    /** Whether two JSON texts hold the same value (field order aside); plain comparison if either is not JSON. */
    static boolean sameJson(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether two failures have the same type and message (stacks differ from run to run). */
    static boolean sameError(ErrorInfo a, ErrorInfo b) {
        return a != null && b != null && a.type().equals(b.type()) && Objects.equals(a.message(), b.message());
    }

    /** How an execution or operation ended, e.g. {@code SUCCEEDED with "shipped"}; else its status. */
    static String outcome(String status, String result, ErrorInfo error) {
        return switch (status) {
            case "SUCCEEDED" -> "SUCCEEDED with " + abbreviate(result);
            case "FAILED" -> "FAILED with " + (error == null ? "no error" : abbreviate(error.summary()));
            default -> status;
        };
    }

    static String outcome(ExecutionDetails d) {
        return outcome(d.info().status().name(), d.result(), d.error());
    }
}
