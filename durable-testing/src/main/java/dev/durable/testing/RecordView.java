package dev.durable.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.core.ErrorInfo;
import dev.durable.core.ExecutionDetails;
import dev.durable.core.JsonSerDes;
import dev.durable.core.journal.JournalRecord;
import dev.durable.core.journal.RecordType;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/** A journal record read for people: what it says, in one line, for failure messages and reports. */
final class RecordView {
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    private static final int MAX_VALUE = 120;

    final JournalRecord record;
    private final JsonNode payload;

    private RecordView(JournalRecord record, JsonNode payload) {
        this.record = record;
        this.payload = payload;
    }

    static RecordView of(JournalRecord record) {
        JsonNode node;
        try {
            node = JSON.readTree(record.payload());
        } catch (IOException e) {
            node = JSON.createObjectNode();
        }
        return new RecordView(record, node);
    }

    String text(String field) {
        JsonNode n = payload.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** When the record was written, or {@code null} if the payload does not say. */
    Instant at() {
        String at = text("at");
        return at == null ? null : Instant.parse(at);
    }

    boolean isOperation() {
        return record.type() == RecordType.OPERATION;
    }

    /** The start of an at-most-once step attempt (the only STARTED record a STEP gets). */
    boolean isStepAttemptStart() {
        return isOperation() && "STEP".equals(text("type")) && "STARTED".equals(text("status"));
    }

    boolean isHeartbeat() {
        return isOperation() && "HEARTBEAT".equals(text("status"));
    }

    /** E.g. {@code op 2 STEP 'charge' SUCCEEDED attempt 1 result 30}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        switch (record.type()) {
            case EXECUTION_STARTED -> {
                b.append("EXECUTION_STARTED function '").append(text("function")).append("'");
                append(b, "input", text("input"));
                if (text("parent") != null) {
                    b.append(" invoked by '").append(text("parent")).append("' op ").append(text("parentOperation"));
                }
            }
            case EXECUTION_FINISHED -> {
                b.append("EXECUTION_FINISHED ").append(text("status"));
                append(b, "result", text("result"));
                appendError(b);
            }
            case EXECUTION_RETRIED -> b.append("EXECUTION_RETRIED");
            case OPERATION -> {
                b.append("op ").append(record.operationId()).append(' ').append(text("type")).append(" '")
                        .append(text("name")).append("' ").append(text("status"));
                append(b, "attempt", text("attempt"));
                append(b, "result", text("result"));
                append(b, "until", text("until"));
                append(b, "callback", text("callbackId"));
                append(b, "child", text("child"));
                appendError(b);
            }
        }
        return b.toString();
    }

    private void appendError(StringBuilder b) {
        JsonNode error = payload.get("error");
        if (error != null && !error.isNull()) {
            String type = error.path("type").asText();
            String message = error.path("message").isNull() ? null : error.path("message").asText(null);
            b.append(" error ").append(abbreviate(message == null ? type : type + ": " + message));
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
