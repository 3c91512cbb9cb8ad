package dev.durable.runtime.local.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.DurableRuntime;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JsonSerDes;
import dev.durable.PayloadTooLargeException;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, apart from any HTTP server: {@link AdminServer} serves them with the JDK's server and its
 * own token; a framework (the Spring Boot starter) can serve them under the application's own port and security.
 * Each request gives its method, its path below the API root ({@code executions/order-42/history}), its raw query
 * and a way to read its body; the answer is a status and a JSON body.
 */
public final class AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    /** Answers are indented for people reading them with curl. */
    private static final ObjectWriter OUT = JSON.writer().with(SerializationFeature.INDENT_OUTPUT);
    /** Request bodies beyond the payload limit by this much are refused. */
    static final long BODY_SLACK = 64 * 1024;

    private final DurableRuntime engine;
    private final long bodyLimit;

    /** Serves {@code engine}, refusing bodies over {@code payloadLimit} plus room for the envelope. */
    public AdminApi(DurableRuntime engine, long payloadLimit) {
        this.engine = Objects.requireNonNull(engine, "engine must not be null");
        this.bodyLimit = payloadLimit + BODY_SLACK;
    }

    /** The largest request body accepted, in bytes. */
    public long bodyLimit() {
        return bodyLimit;
    }

    /** An answer: the HTTP status and the JSON body. */
    public record Response(int status, byte[] json) {}

    /** Reads the request body; a transport calls {@link #readLimited} or enforces {@link #bodyLimit()} itself. */
    @FunctionalInterface
    public interface Body {
        String read() throws IOException;
    }

    /**
     * Answers one request.
     *
     * @param path the path below the API root, without a leading slash, still URL-encoded per segment
     */
    public Response handle(String method, String path, String rawQuery, Body body) {
        try {
            return route(method.toUpperCase(Locale.ROOT), path, rawQuery, body);
        } catch (RequestException e) {
            return answer(e.status, error(e.getMessage()));
        } catch (JsonProcessingException e) {
            return answer(400, error("the body is not valid JSON: " + e.getOriginalMessage()));
        } catch (UnknownExecutionException | UnknownCallbackException e) {
            return answer(404, error(e.getMessage()));
        } catch (CallbackAlreadyCompletedException | ExecutionConflictException e) {
            return answer(409, error(e.getMessage()));
        } catch (PayloadTooLargeException e) {
            return answer(413, error(e.getMessage()));
        } catch (SerializationException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            return answer(400, error(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.error("admin request {} {} failed", method, path, e);
            return answer(500, error("the request failed: " + e));
        }
    }

    /** An error answer, for transports that refuse a request before it reaches the routes. */
    public static Response refusal(int status, String message) {
        return answer(status, error(message));
    }

    /**
     * Reads at most {@code limit} bytes of {@code in}; more is a 413, an empty body a 400.
     *
     * @param declaredLength the Content-Length, or -1 if none was given
     */
    public static String readLimited(InputStream in, long declaredLength, long limit) throws IOException {
        if (declaredLength > limit) {
            throw new RequestException(
                    413,
                    "the request body of " + declaredLength + " bytes is over the limit of " + limit
                            + " bytes (the payload limit and some room for the envelope)");
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw new RequestException(413, "the request body is over the limit of " + limit + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new RequestException(400, "the request has no body; send JSON");
        }
        return text;
    }

    private Response route(String method, String rawPath, String rawQuery, Body body) throws IOException {
        List<String> path = segments(rawPath);
        if (!path.isEmpty() && path.get(0).equals("executions")) {
            if (path.size() == 1 && method.equals("GET")) {
                List<ExecutionInfo> listed = list(rawQuery);
                return details(rawQuery)
                        ? answer(
                                200,
                                JSON.valueToTree(listed.stream()
                                        .map(i -> engine.describe(i.name()))
                                        .toList()))
                        : answer(200, JSON.valueToTree(listed));
            }
            if (path.size() == 1 && method.equals("POST")) {
                JsonNode json = JSON.readTree(body.read());
                String function = text(json, "function");
                String name = text(json, "name");
                JsonNode input = json.get("input");
                engine.startJson(function, name, input == null ? "null" : JSON.writeValueAsString(input));
                return answer(201, JSON.valueToTree(engine.describe(name)));
            }
            if (path.size() == 2 && method.equals("GET")) {
                return answer(200, JSON.valueToTree(engine.describe(path.get(1))));
            }
            if (path.size() == 3 && method.equals("GET") && path.get(2).equals("history")) {
                return answer(200, JSON.valueToTree(engine.history(path.get(1))));
            }
            if (path.size() == 3 && method.equals("POST") && path.get(2).equals("cancel")) {
                return engine.cancel(path.get(1))
                        ? answer(200, JSON.valueToTree(engine.describe(path.get(1))))
                        : answer(409, error("execution '" + path.get(1) + "' has already ended; nothing changed"));
            }
            if (path.size() == 3 && method.equals("POST") && path.get(2).equals("fail")) {
                String raw = body.read();
                engine.fail(path.get(1), raw.isBlank() ? null : optionalText(JSON.readTree(raw), "reason"));
                return answer(200, JSON.valueToTree(engine.describe(path.get(1))));
            }
            if (path.size() == 3 && method.equals("POST") && path.get(2).equals("retry")) {
                engine.retry(path.get(1));
                return answer(200, JSON.valueToTree(engine.describe(path.get(1))));
            }
        } else if (path.size() == 3 && path.get(0).equals("callbacks") && method.equals("POST")) {
            String id = path.get(1);
            switch (path.get(2)) {
                case "complete" -> engine.completeCallbackJson(id, body.read());
                case "fail" -> {
                    JsonNode json = JSON.readTree(body.read());
                    JsonNode data = json.get("errorData");
                    engine.failCallback(
                            id,
                            optionalText(json, "errorType"),
                            optionalText(json, "message"),
                            data == null || data.isNull()
                                    ? null
                                    : data.isTextual() ? data.asText() : JSON.writeValueAsString(data));
                }
                case "heartbeat" -> engine.heartbeatCallback(id);
                default -> throw notFound(method, rawPath);
            }
            ObjectNode done = JSON.createObjectNode();
            done.put("callbackId", id);
            done.put("done", path.get(2));
            return answer(200, done);
        }
        throw notFound(method, rawPath);
    }

    private List<ExecutionInfo> list(String rawQuery) {
        List<ExecutionStatus> statuses = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "status" -> {
                        try {
                            statuses.add(ExecutionStatus.valueOf(value.toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new RequestException(
                                    400, "unknown status '" + value + "'; one of " + List.of(ExecutionStatus.values()));
                        }
                    }
                    case "function" -> functions.add(value);
                    case "view" -> {
                        if (!value.equals("details") && !value.equals("summary")) {
                            throw new RequestException(400, "view is 'summary' (the default) or 'details'");
                        }
                    }
                    default ->
                        throw new RequestException(
                                400, "unknown query parameter '" + key + "'; use status, function and view");
                }
            }
        }
        return engine.list(statuses.toArray(ExecutionStatus[]::new)).stream()
                .filter(e -> functions.isEmpty() || functions.contains(e.function()))
                .toList();
    }

    private static boolean details(String rawQuery) {
        return rawQuery != null && List.of(rawQuery.split("&")).contains("view=details");
    }

    private static RequestException notFound(String method, String path) {
        return new RequestException(
                404, "no route " + method + " " + path + "; see the AdminServer documentation for" + " the routes");
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        String v = optionalText(body, field);
        if (v == null) {
            throw new RequestException(400, "the body needs a text field '" + field + "'");
        }
        return v;
    }

    private static String optionalText(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            throw new RequestException(400, "the body must be a JSON object");
        }
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static JsonNode error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        return n;
    }

    private static Response answer(int status, JsonNode body) {
        try {
            return new Response(status, OUT.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer: " + e.getMessage(), e);
        }
    }

    /** A request refused with this status and message. */
    static final class RequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
