package dev.durable.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durable.core.ExecutionDetails;
import dev.durable.core.JsonSerDes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A running application reached through its admin endpoint ({@code runtime.serveAdmin()}): what the commands do
 * while the application holds the journal.
 */
final class LiveApplication {
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LiveApplication(URI base, String token) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.token = token;
    }

    URI uri() {
        return base;
    }

    List<ExecutionDetails> executions() {
        return read(send("GET", "api/executions?view=details", null), new TypeReference<>() {});
    }

    ExecutionDetails execution(String name) {
        return read(send("GET", "api/executions/" + encode(name), null), new TypeReference<>() {});
    }

    void completeCallback(String id, String json) {
        send("POST", "api/callbacks/" + encode(id) + "/complete", json);
    }

    void failCallback(String id, String errorType, String message, String errorData) {
        ObjectNode body = JSON.createObjectNode();
        body.put("errorType", errorType);
        body.put("message", message);
        body.put("errorData", errorData);
        send("POST", "api/callbacks/" + encode(id) + "/fail", body.toString());
    }

    ExecutionDetails cancel(String name) {
        return read(send("POST", "api/executions/" + encode(name) + "/cancel", ""), new TypeReference<>() {});
    }

    ExecutionDetails retry(String name) {
        return read(send("POST", "api/executions/" + encode(name) + "/retry", ""), new TypeReference<>() {});
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.LOCKED, "the application's admin endpoint at " + base + " does not"
                    + " answer (" + e.getMessage() + "); is the application still running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.LOCKED, "interrupted while calling " + base);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        String message = errorMessage(response.body());
        if (status == 401) {
            throw new CommandFailure(ExitCodes.LOCKED, "the application at " + base + " refused the token: " + message
                    + " (pass --token, or run as the application's user so that its endpoint file can be read)");
        }
        if (status == 400 || status == 404 || status == 409 || status == 413) {
            throw CommandFailure.refused(message);
        }
        throw new CommandFailure(ExitCodes.LOCKED, "the application at " + base + " answered " + status + ": " + message);
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
            throw new CommandFailure(ExitCodes.CORRUPT, "cannot read the application's answer: " + e.getMessage());
        }
    }
}
