package dev.durable.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.durable.AttemptInfo;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.OperationInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code --json} output. Times are ISO-8601 strings; inputs, results and payloads are embedded as JSON when the
 * journal holds JSON (the default serializer), else as strings; absent values are {@code null}.
 */
final class JsonView {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonView() {}

    static void print(PrintWriter out, JsonNode node) {
        try {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output", e);
        }
    }

    /** What {@code list --json} prints for each execution. */
    static ObjectNode summary(ExecutionDetails e) {
        ObjectNode n = header(e);
        n.set(
                "currentOperation",
                Format.currentOperation(e).<JsonNode>map(JsonView::operation).orElse(NullNode.getInstance()));
        return n;
    }

    /** What {@code show --json} prints. */
    static ObjectNode execution(ExecutionDetails e) {
        ObjectNode n = header(e);
        n.set("input", value(e.input()));
        n.set("result", value(e.result()));
        n.set("error", error(e.error()));
        ArrayNode ops = n.putArray("operations");
        e.operations().forEach(op -> ops.add(operation(op)));
        return n;
    }

    private static ObjectNode header(ExecutionDetails e) {
        ObjectNode n = NODES.objectNode();
        n.put("name", e.info().name());
        n.put("function", e.info().function());
        n.put("version", e.info().version());
        n.put("status", e.info().status().name());
        n.put("startedAt", text(e.info().startedAt()));
        n.put("finishedAt", text(e.info().finishedAt()));
        n.put("parent", e.info().parent());
        if (e.info().blockedReason() != null) {
            n.put("blockedReason", e.info().blockedReason());
        }
        return n;
    }

    static ObjectNode operation(OperationInfo op) {
        ObjectNode n = NODES.objectNode();
        n.put("id", op.id());
        n.put("type", op.type());
        n.put("name", op.name());
        n.put("status", op.status());
        n.put("attempt", op.attempt());
        n.put("startedAt", text(op.startedAt()));
        n.put("updatedAt", text(op.updatedAt()));
        if (op.startedAt() != null && op.updatedAt() != null) {
            n.put(
                    "durationMillis",
                    Duration.between(op.startedAt(), op.updatedAt()).toMillis());
        } else {
            n.putNull("durationMillis");
        }
        n.put("waitUntil", text(op.waitUntil()));
        n.put("callbackId", op.callbackId());
        n.put("childExecution", op.childExecution());
        n.set("result", value(op.result()));
        n.set("error", error(op.error()));
        ArrayNode attempts = n.putArray("attempts");
        for (AttemptInfo a : op.attempts()) {
            ObjectNode an = attempts.addObject();
            an.put("attempt", a.attempt());
            an.put("status", a.status());
            an.put("at", text(a.at()));
            an.set("error", error(a.error()));
        }
        return n;
    }

    static JsonNode error(ErrorInfo error) {
        if (error == null) {
            return NullNode.getInstance();
        }
        ObjectNode n = NODES.objectNode();
        n.put("type", error.type());
        n.put("message", error.message());
        ArrayNode stack = n.putArray("stack");
        List<String> frames = error.stack() == null ? List.of() : error.stack();
        frames.forEach(stack::add);
        n.set("cause", error(error.cause()));
        return n;
    }

    /** Journaled JSON as JSON; anything else (a custom serializer's text) as a string. */
    static JsonNode value(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            JsonNode parsed = MAPPER.readTree(text);
            return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(text) : parsed;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
