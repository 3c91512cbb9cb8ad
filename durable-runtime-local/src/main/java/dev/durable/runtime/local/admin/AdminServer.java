package dev.durable.runtime.local.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.durable.core.CallbackAlreadyCompletedException;
import dev.durable.core.DurableEngine;
import dev.durable.core.ExecutionConflictException;
import dev.durable.core.ExecutionInfo;
import dev.durable.core.ExecutionStatus;
import dev.durable.core.JsonSerDes;
import dev.durable.core.PayloadTooLargeException;
import dev.durable.core.SerializationException;
import dev.durable.core.UnknownCallbackException;
import dev.durable.core.UnknownExecutionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP API for a running runtime: list and inspect executions, their typed history, complete, fail or
 * heartbeat callbacks, cancel, retry and start executions. Served by the JDK's own HTTP server (no framework), bound
 * to 127.0.0.1 by default; every request needs {@code Authorization: Bearer <token>}. The endpoint and token are
 * written owner-only into the journal directory ({@value EndpointFile#FILE_NAME}) so that the CLI finds them; wrong
 * or missing token: 401 and nothing happens. Bodies are size-limited and checked by the same rules as the Java API.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.open(dir);
 *      AdminServer admin = runtime.serveAdmin()) {
 *     System.out.println("admin at " + admin.uri());
 * }
 * }</pre>
 *
 * <p>Routes (JSON in and out): {@code GET /api/executions[?status=WAITING&function=orders&view=details]},
 * {@code GET /api/executions/{name}}, {@code GET /api/executions/{name}/history},
 * {@code POST /api/executions} ({@code {"function", "name", "input"}}), {@code POST /api/executions/{name}/cancel},
 * {@code POST /api/executions/{name}/retry}, {@code POST /api/callbacks/{id}/complete} (the payload as body),
 * {@code POST /api/callbacks/{id}/fail} ({@code {"errorType", "message", "errorData"}}),
 * {@code POST /api/callbacks/{id}/heartbeat}. Errors answer {@code {"error": "..."}} with 400 (bad request or
 * payload), 401, 404 (unknown execution or callback), 409 (already completed, timed out, conflicting start) or 413
 * (too large).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = JsonSerDes.defaultMapper();
    /** Responses are indented for people reading them with curl. */
    private static final com.fasterxml.jackson.databind.ObjectWriter OUT = JSON.writer().with(SerializationFeature.INDENT_OUTPUT);
    /** A refused body up to this size is read and dropped first, so that the client gets the answer, not a reset. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;
    /** Request bodies beyond the payload limit by this much are refused unread. */
    private static final long BODY_SLACK = 64 * 1024;

    private final DurableEngine engine;
    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final EndpointFile endpointFile;
    private final long bodyLimit;

    private AdminServer(DurableEngine engine, Path journalDirectory, Options options, long payloadLimit) throws IOException {
        this.engine = engine;
        this.token = options.token.getBytes(StandardCharsets.UTF_8);
        this.bodyLimit = payloadLimit + BODY_SLACK;
        this.server = HttpServer.create(new InetSocketAddress(options.host, options.port), 16);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "durable-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/", this::handle);
        server.createContext("/", AdminServer::console);
        server.start();
        EndpointFile file = null;
        if (journalDirectory != null) {
            try {
                file = EndpointFile.write(journalDirectory, uri(), options.token);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }
        this.endpointFile = file;
    }

    /**
     * Starts serving {@code engine}. Used by {@code LocalRuntime.serveAdmin}.
     *
     * @param journalDirectory where to write the endpoint file for the CLI, or {@code null}
     */
    public static AdminServer start(DurableEngine engine, Path journalDirectory, Options options, long payloadLimit) {
        Objects.requireNonNull(engine, "engine must not be null");
        Objects.requireNonNull(options, "options must not be null");
        try {
            return new AdminServer(engine, journalDirectory, options, payloadLimit);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot serve the admin endpoint on " + options.host + ":"
                    + options.port + ": " + e.getMessage() + "; choose another port or host", e);
        }
    }

    /** Where the API is served, e.g. {@code http://127.0.0.1:43117/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** The bearer token every request must carry. */
    public String token() {
        return new String(token, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (endpointFile != null) {
            endpointFile.delete();
        }
    }

    // ---- the console page -------------------------------------------------------------------------------------

    private static final java.util.Map<String, String> CONSOLE_FILES = java.util.Map.of(
            "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");

    /** Serves the console's static files (no data in them, so no token): everything it shows comes from the API. */
    private static void console(HttpExchange x) throws IOException {
        try (x) {
            String file = CONSOLE_FILES.get(x.getRequestURI().getPath());
            if (file == null || !x.getRequestMethod().equalsIgnoreCase("GET")) {
                send(x, 404, error("no such page; the console is at /"));
                return;
            }
            byte[] bytes;
            try (InputStream in = AdminServer.class.getResourceAsStream("console/" + file)) {
                bytes = Objects.requireNonNull(in, file).readAllBytes();
            }
            String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
            x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            x.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'");
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            x.getResponseHeaders().set("Cache-Control", "no-store");
            x.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The console's address with the token in its fragment (which browsers never send to the server). */
    public URI consoleUri() {
        return URI.create(uri() + "#token=" + token());
    }

    // ---- requests ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!authorized(x)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(x, 401, error("missing or wrong bearer token; the token is in " + EndpointFile.FILE_NAME
                        + " in the journal directory, readable by the application's user only"));
                return;
            }
            try {
                route(x);
            } catch (RequestException e) {
                send(x, e.status, error(e.getMessage()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                send(x, 400, error("the body is not valid JSON: " + e.getOriginalMessage()));
            } catch (UnknownExecutionException | UnknownCallbackException e) {
                send(x, 404, error(e.getMessage()));
            } catch (CallbackAlreadyCompletedException | ExecutionConflictException e) {
                send(x, 409, error(e.getMessage()));
            } catch (PayloadTooLargeException e) {
                send(x, 413, error(e.getMessage()));
            } catch (SerializationException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
                send(x, 400, error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("admin request {} {} failed", x.getRequestMethod(), x.getRequestURI(), e);
                send(x, 500, error("the request failed: " + e));
            }
        }
    }

    private boolean authorized(HttpExchange x) {
        String header = x.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // constant time
    }

    private void route(HttpExchange x) throws IOException {
        String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> path = segments(x.getRequestURI().getRawPath());
        // path starts with "api"
        if (path.size() >= 2 && path.get(1).equals("executions")) {
            if (path.size() == 2 && method.equals("GET")) {
                List<ExecutionInfo> listed = list(x.getRequestURI().getRawQuery());
                if (details(x.getRequestURI().getRawQuery())) {
                    send(x, 200, JSON.valueToTree(listed.stream().map(i -> engine.describe(i.name())).toList()));
                } else {
                    send(x, 200, JSON.valueToTree(listed));
                }
            } else if (path.size() == 2 && method.equals("POST")) {
                JsonNode body = JSON.readTree(body(x));
                String function = text(body, "function");
                String name = text(body, "name");
                JsonNode input = body.get("input");
                engine.startJson(function, name, input == null ? "null" : JSON.writeValueAsString(input));
                send(x, 201, JSON.valueToTree(engine.describe(name)));
            } else if (path.size() == 3 && method.equals("GET")) {
                send(x, 200, JSON.valueToTree(engine.describe(path.get(2))));
            } else if (path.size() == 4 && method.equals("GET") && path.get(3).equals("history")) {
                send(x, 200, JSON.valueToTree(engine.history(path.get(2))));
            } else if (path.size() == 4 && method.equals("POST") && path.get(3).equals("cancel")) {
                boolean cancelled = engine.cancel(path.get(2));
                send(x, cancelled ? 200 : 409, cancelled ? JSON.valueToTree(engine.describe(path.get(2)))
                        : error("execution '" + path.get(2) + "' has already ended; nothing changed"));
            } else if (path.size() == 4 && method.equals("POST") && path.get(3).equals("retry")) {
                engine.retry(path.get(2));
                send(x, 200, JSON.valueToTree(engine.describe(path.get(2))));
            } else {
                throw notFound(method, x);
            }
        } else if (path.size() == 4 && path.get(1).equals("callbacks") && method.equals("POST")) {
            String id = path.get(2);
            switch (path.get(3)) {
                case "complete" -> engine.completeCallbackJson(id, body(x));
                case "fail" -> {
                    JsonNode body = JSON.readTree(body(x));
                    JsonNode data = body.get("errorData");
                    engine.failCallback(id, optionalText(body, "errorType"), optionalText(body, "message"),
                            data == null || data.isNull() ? null : data.isTextual() ? data.asText() : JSON.writeValueAsString(data));
                }
                case "heartbeat" -> engine.heartbeatCallback(id);
                default -> throw notFound(method, x);
            }
            ObjectNode done = JSON.createObjectNode();
            done.put("callbackId", id);
            done.put("done", path.get(3));
            send(x, 200, done);
        } else {
            throw notFound(method, x);
        }
    }

    private List<ExecutionInfo> list(String rawQuery) {
        List<ExecutionStatus> statuses = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "status" -> {
                        try {
                            statuses.add(ExecutionStatus.valueOf(value.toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new RequestException(400, "unknown status '" + value + "'; one of "
                                    + List.of(ExecutionStatus.values()));
                        }
                    }
                    case "function" -> functions.add(value);
                    case "view" -> {
                        if (!value.equals("details") && !value.equals("summary")) {
                            throw new RequestException(400, "view is 'summary' (the default) or 'details'");
                        }
                    }
                    default -> throw new RequestException(400, "unknown query parameter '" + key
                            + "'; use status and function");
                }
            }
        }
        return engine.list(statuses.toArray(ExecutionStatus[]::new)).stream()
                .filter(e -> functions.isEmpty() || functions.contains(e.function())).toList();
    }

    private static boolean details(String rawQuery) {
        return rawQuery != null && List.of(rawQuery.split("&")).contains("view=details");
    }

    private static RequestException notFound(String method, HttpExchange x) {
        return new RequestException(404, "no route " + method + " " + x.getRequestURI().getPath()
                + "; see the AdminServer documentation for the routes");
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

    private String body(HttpExchange x) throws IOException {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.trim());
                if (declared > bodyLimit) {
                    if (declared <= DRAIN_LIMIT) {
                        try (InputStream in = x.getRequestBody()) {
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                    throw new RequestException(413, "the request body of " + length.trim() + " bytes is over the limit of "
                            + bodyLimit + " bytes (the payload limit and some room for the envelope)");
                }
            } catch (NumberFormatException e) {
                throw new RequestException(400, "Content-Length '" + length + "' is not a number");
            }
        }
        try (InputStream in = x.getRequestBody()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bodyLimit + 1));
            if (bytes.length > bodyLimit) {
                throw new RequestException(413, "the request body is over the limit of " + bodyLimit + " bytes");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                throw new RequestException(400, "the request has no body; send JSON");
            }
            return text;
        }
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

    private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = OUT.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A request the server refuses with this status and message. */
    private static final class RequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** How and where to serve; {@link #defaults()}: 127.0.0.1, a free port, a generated token. */
    public static final class Options {
        private String host = "127.0.0.1";
        private int port;
        private String token = newToken();

        private Options() {}

        public static Options defaults() {
            return new Options();
        }

        /** The address to bind; keep the default 127.0.0.1 unless a proxy in front adds its own protection. */
        public Options host(String host) {
            this.host = Objects.requireNonNull(host, "host must not be null");
            return this;
        }

        /** The port, or 0 for a free one (the default). */
        public Options port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token, at least 32 characters; by default 32 random bytes in hex. */
        public Options token(String token) {
            Objects.requireNonNull(token, "token must not be null");
            if (token.length() < 32) {
                throw new IllegalArgumentException("the admin token must be at least 32 characters long, was "
                        + token.length());
            }
            this.token = token;
            return this;
        }

        private static String newToken() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }
}
