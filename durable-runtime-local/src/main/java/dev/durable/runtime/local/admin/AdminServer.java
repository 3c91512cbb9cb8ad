package dev.durable.runtime.local.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.durable.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * {@code POST /api/executions/{name}/retry}, {@code POST /api/executions/{name}/fail} ({@code {"reason"}}, a
 * BLOCKED execution only), {@code POST /api/callbacks/{id}/complete} (the payload as body),
 * {@code POST /api/callbacks/{id}/fail} ({@code {"errorType", "message", "errorData"}}),
 * {@code POST /api/callbacks/{id}/heartbeat}. Errors answer {@code {"error": "..."}} with 400 (bad request or
 * payload), 401, 404 (unknown execution or callback), 409 (already completed, timed out, conflicting start) or 413
 * (too large).
 */
public final class AdminServer implements AutoCloseable {
    /** A refused body up to this size is read and dropped first, so that the client gets the answer, not a reset. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final AdminApi api;
    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final EndpointFile endpointFile;

    private AdminServer(DurableRuntime engine, Path journalDirectory, Options options, long payloadLimit)
            throws IOException {
        this.api = new AdminApi(engine, payloadLimit);
        this.token = options.token.getBytes(StandardCharsets.UTF_8);
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
    public static AdminServer start(DurableRuntime engine, Path journalDirectory, Options options, long payloadLimit) {
        Objects.requireNonNull(engine, "engine must not be null");
        Objects.requireNonNull(options, "options must not be null");
        try {
            return new AdminServer(engine, journalDirectory, options, payloadLimit);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot serve the admin endpoint on " + options.host + ":" + options.port + ": " + e.getMessage()
                            + "; choose another port or host",
                    e);
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

    /** One of the console's static files, with its content type and the headers it must be served with. */
    public record ConsoleFile(byte[] bytes, String contentType) {
        /** The headers every console file is served with: a strict content security policy, no sniffing. */
        public static final java.util.Map<String, String> HEADERS = java.util.Map.of(
                "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self';"
                                + " img-src 'self'",
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Cache-Control", "no-store");
    }

    /**
     * The console file at {@code path} below the console's root ({@code ""}, {@code "/"}, {@code "/console.js"},
     * ...), or empty. For frameworks that serve the console themselves.
     */
    public static java.util.Optional<ConsoleFile> consoleFile(String path) {
        String file = CONSOLE_FILES.get(path.isEmpty() ? "/" : path);
        if (file == null) {
            return java.util.Optional.empty();
        }
        try (InputStream in = AdminServer.class.getResourceAsStream("console/" + file)) {
            byte[] bytes = Objects.requireNonNull(in, file).readAllBytes();
            String type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
            return java.util.Optional.of(new ConsoleFile(bytes, type + "; charset=utf-8"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the console's " + file + " from the jar", e);
        }
    }

    /** Serves the console's static files (no data in them, so no token): everything it shows comes from the API. */
    private static void console(HttpExchange x) throws IOException {
        try (x) {
            java.util.Optional<ConsoleFile> file = x.getRequestMethod().equalsIgnoreCase("GET")
                    ? consoleFile(x.getRequestURI().getPath())
                    : java.util.Optional.empty();
            if (file.isEmpty()) {
                AdminApi.Response r = AdminApi.refusal(404, "no such page; the console is at /");
                send(x, r.status(), r.json());
                return;
            }
            x.getResponseHeaders().set("Content-Type", file.get().contentType());
            ConsoleFile.HEADERS.forEach((k, v) -> x.getResponseHeaders().set(k, v));
            x.sendResponseHeaders(200, file.get().bytes().length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(file.get().bytes());
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
            AdminApi.Response r;
            if (!authorized(x)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                r = AdminApi.refusal(
                        401,
                        "missing or wrong bearer token; the token is in " + EndpointFile.FILE_NAME
                                + " in the journal directory, readable by the application's user only");
            } else {
                String path = x.getRequestURI().getRawPath().substring("/api/".length());
                r = api.handle(x.getRequestMethod(), path, x.getRequestURI().getRawQuery(), () -> body(x));
            }
            send(x, r.status(), r.json());
        }
    }

    private boolean authorized(HttpExchange x) {
        return bearerMatches(x.getRequestHeaders().getFirst("Authorization"), token());
    }

    /** Whether an {@code Authorization} header carries {@code token} as its bearer token (compared in constant time). */
    public static boolean bearerMatches(String header, String token) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    private String body(HttpExchange x) throws IOException {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new AdminApi.RequestException(400, "Content-Length '" + length + "' is not a number");
            }
        }
        try (InputStream in = x.getRequestBody()) {
            if (declared > api.bodyLimit() && declared <= DRAIN_LIMIT) {
                in.transferTo(OutputStream.nullOutputStream()); // so that the client reads the answer, not a reset
            }
            return AdminApi.readLimited(in, declared, api.bodyLimit());
        }
    }

    private static void send(HttpExchange x, int status, byte[] json) throws IOException {
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(status, json.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(json);
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

        /** The bearer token these options carry (generated unless one was set). */
        public String token() {
            return token;
        }

        /** The bearer token, at least 32 characters; by default 32 random bytes in hex. */
        public Options token(String token) {
            Objects.requireNonNull(token, "token must not be null");
            if (token.length() < 32) {
                throw new IllegalArgumentException(
                        "the admin token must be at least 32 characters long, was " + token.length());
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
