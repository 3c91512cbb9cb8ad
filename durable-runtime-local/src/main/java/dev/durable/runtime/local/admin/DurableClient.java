package dev.durable.runtime.local.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.DurableException;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.JsonSerDes;
import dev.durable.ResultTimeoutException;
import dev.durable.TypeToken;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A client of a running application's admin endpoint, for another JVM (a web backend, a message listener): start
 * executions, read their state and results, complete callbacks. Refusals come back as the exceptions the Java API
 * throws ({@link UnknownExecutionException}, {@link CallbackAlreadyCompletedException}, ...).
 *
 * <pre>{@code
 * DurableClient client = DurableClient.connect(URI.create("http://127.0.0.1:8081/"), token);
 * client.start("orders", "order-42", new Order("42", 12_900));
 * client.completeCallback(callbackId, new Decision(true));
 * String receipt = client.result("order-42", String.class, Duration.ofMinutes(1));
 * }</pre>
 */
public final class DurableClient {
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 200;

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DurableClient(URI base, String token) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.token = token;
    }

    /** A client of the endpoint at {@code uri}, with its token. */
    public static DurableClient connect(URI uri, String token) {
        return new DurableClient(
                Objects.requireNonNull(uri, "uri must not be null"),
                Objects.requireNonNull(token, "token must not be null"));
    }

    /**
     * A client of the application that announced its endpoint in {@code journalDirectory} (readable by the
     * application's user only).
     *
     * @throws IllegalStateException if no application announced one there
     */
    public static DurableClient forJournal(Path journalDirectory) {
        EndpointFile.Endpoint e = EndpointFile.read(journalDirectory)
                .orElseThrow(() -> new IllegalStateException("no running application announced an admin endpoint in "
                        + journalDirectory + " (" + EndpointFile.FILE_NAME
                        + "); call runtime.serveAdmin() in the application, and run this as its user"));
        return new DurableClient(e.uri(), e.token());
    }

    /** The endpoint this client calls. */
    public URI uri() {
        return base;
    }

    /** Starts an execution, or finds the existing one of that name with the same function and input. */
    public ExecutionDetails start(String functionName, String executionName, Object input) {
        ObjectNode body = JSON.createObjectNode();
        body.put("function", functionName);
        body.put("name", executionName);
        body.set("input", JSON.valueToTree(input));
        return read(send("POST", "api/executions", body.toString(), Target.START), new TypeReference<>() {});
    }

    /** The executions, filtered to {@code statuses} when any are given. */
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        StringBuilder query = new StringBuilder("api/executions");
        for (ExecutionStatus s : statuses) {
            query.append(query.indexOf("?") < 0 ? '?' : '&').append("status=").append(s.name());
        }
        return read(send("GET", query.toString(), null, Target.EXECUTION), new TypeReference<>() {});
    }

    /** Every execution with its operations. */
    public List<ExecutionDetails> executions() {
        return read(send("GET", "api/executions?view=details", null, Target.EXECUTION), new TypeReference<>() {});
    }

    /** One execution with its operations. */
    public ExecutionDetails execution(String name) {
        return read(send("GET", "api/executions/" + encode(name), null, Target.EXECUTION), new TypeReference<>() {});
    }

    /** One execution's typed history. */
    public List<HistoryEvent> history(String name) {
        return read(
                send("GET", "api/executions/" + encode(name) + "/history", null, Target.EXECUTION),
                new TypeReference<>() {});
    }

    /**
     * Waits for an execution to end and returns its result.
     *
     * @throws ExecutionFailedException if it failed; {@link ExecutionCancelledException} if it was cancelled
     * @throws ResultTimeoutException if it did not end within {@code timeout}
     */
    public <T> T result(String name, Class<T> type, Duration timeout) {
        return result(name, (Type) type, timeout);
    }

    /** {@link #result(String, Class, Duration)} for a generic result type. */
    public <T> T result(String name, TypeToken<T> type, Duration timeout) {
        return result(name, type.type(), timeout);
    }

    @SuppressWarnings("unchecked")
    private <T> T result(String name, Type type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ExecutionDetails d = execution(name);
            switch (d.info().status()) {
                case SUCCEEDED:
                    return (T) JsonSerDes.defaults().deserialize(d.result(), type);
                case FAILED:
                    throw new ExecutionFailedException(
                            "execution '" + name + "' failed: " + d.error().summary(), d.error(), null);
                case CANCELLED:
                    throw new ExecutionCancelledException("execution '" + name + "' was cancelled");
                default:
                    break;
            }
            if (System.nanoTime() > deadline) {
                throw new ResultTimeoutException("execution '" + name + "' did not end within " + timeout + "; it is "
                        + d.info().status());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // a remote client can only ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResultTimeoutException("interrupted while waiting for execution '" + name + "'");
            }
        }
    }

    /** Completes a callback with a payload (serialized as JSON). */
    public void completeCallback(String callbackId, Object payload) {
        try {
            completeCallbackJson(callbackId, JSON.writeValueAsString(payload));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the payload as JSON: " + e.getMessage(), e);
        }
    }

    /** Completes a callback with a JSON payload. */
    public void completeCallbackJson(String callbackId, String json) {
        send("POST", "api/callbacks/" + encode(callbackId) + "/complete", json, Target.CALLBACK);
    }

    /** Fails a callback with an error type, message and optional data. */
    public void failCallback(String callbackId, String errorType, String message, String errorData) {
        ObjectNode body = JSON.createObjectNode();
        body.put("errorType", errorType);
        body.put("message", message);
        body.put("errorData", errorData);
        send("POST", "api/callbacks/" + encode(callbackId) + "/fail", body.toString(), Target.CALLBACK);
    }

    /** Records a heartbeat of a callback. */
    public void heartbeatCallback(String callbackId) {
        send("POST", "api/callbacks/" + encode(callbackId) + "/heartbeat", "", Target.CALLBACK);
    }

    /** Cancels an execution; refused with {@link ExecutionConflictException} if it has already ended. */
    public ExecutionDetails cancel(String name) {
        return read(
                send("POST", "api/executions/" + encode(name) + "/cancel", "", Target.EXECUTION),
                new TypeReference<>() {});
    }

    /** Runs a failed execution again from its last successful operation. */
    public ExecutionDetails retry(String name) {
        return read(
                send("POST", "api/executions/" + encode(name) + "/retry", "", Target.EXECUTION),
                new TypeReference<>() {});
    }

    /**
     * Fails a BLOCKED execution (its code no longer matches its history) by an operator's decision; refused with
     * {@link IllegalArgumentException} if it is not blocked.
     */
    public ExecutionDetails fail(String name, String reason) {
        ObjectNode body = JSON.createObjectNode();
        body.put("reason", reason);
        return read(
                send("POST", "api/executions/" + encode(name) + "/fail", body.toString(), Target.EXECUTION),
                new TypeReference<>() {});
    }

    private enum Target {
        EXECUTION,
        CALLBACK,
        START
    }

    private static String encode(String segment) {
        return URLEncoder.encode(Objects.requireNonNull(segment, "name must not be null"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private String send(String method, String path, String body, Target target) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnreachableException(
                    "the admin endpoint at " + base + " does not answer (" + e.getMessage()
                            + "); is the application still running?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling " + base, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        String message = errorMessage(response.body());
        throw switch (status) {
            case 400 -> new IllegalArgumentException(message);
            case 401 -> new TokenRefusedException("the admin endpoint at " + base + " refused the token: " + message);
            case 404 ->
                target == Target.CALLBACK
                        ? new UnknownCallbackException(message)
                        : new UnknownExecutionException(message);
            case 409 ->
                target == Target.CALLBACK
                        ? new CallbackAlreadyCompletedException(message)
                        : new ExecutionConflictException(message);
            case 413 -> new IllegalArgumentException(message);
            default ->
                new UnreachableException(
                        "the admin endpoint at " + base + " answered " + status + ": " + message, null);
        };
    }

    private static String errorMessage(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("error").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin endpoint's answer: " + e.getMessage(), e);
        }
    }

    /** The endpoint refused the token: wrong, or of another application. */
    public static final class TokenRefusedException extends DurableException {
        private static final long serialVersionUID = 1L;

        public TokenRefusedException(String message) {
            super(message);
        }
    }

    /** The endpoint does not answer, or answered with a server error. */
    public static final class UnreachableException extends DurableException {
        private static final long serialVersionUID = 1L;

        public UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public String toString() {
        return "DurableClient{" + base + "}";
    }
}
