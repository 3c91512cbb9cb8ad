package dev.durable.runtime.local.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.runtime.local.LocalRuntime;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP API of a running runtime, through a real HTTP client. */
class AdminServerTest {
    record Decision(boolean approved) {}

    @TempDir
    Path dir;

    private final Map<String, String> callbacks = new ConcurrentHashMap<>();
    private final AtomicInteger chargeCalls = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalRuntime runtime;
    private AdminServer admin;

    @BeforeEach
    void open() {
        runtime = LocalRuntime.builder().directory(dir).payloadLimit(4096).open();
        runtime.register("approve", String.class, String.class, (in, ctx) -> {
            try {
                Decision d = ctx.waitForCallback(
                        "manager", Decision.class, (id, s) -> callbacks.put(in, id), CallbackConfig.defaults());
                return d.approved() ? "approved " + in : "rejected " + in;
            } catch (CallbackFailedException e) {
                return e.errorType() + ": " + e.errorMessage() + " " + e.errorData();
            }
        });
        runtime.register(
                "charge",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "charge",
                        String.class,
                        s -> {
                            if (chargeCalls.incrementAndGet() == 1) {
                                throw new IllegalStateException("card declined");
                            }
                            return "charged " + in;
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build()));
        admin = runtime.serveAdmin();
    }

    @AfterEach
    void close() {
        admin.close();
        runtime.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin.uri().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, admin.token());
    }

    private String waitingCallback(String execution) {
        runtime.awaitIdle(Duration.ofSeconds(20));
        return callbacks.get(execution);
    }

    @Test
    void everyRequestWithoutTheRightTokenIsRefusedWith401AndChangesNothing() throws Exception {
        runtime.start("approve", "a-1", "a-1");
        String id = waitingCallback("a-1");

        assertThat(call("GET", "/api/executions", null, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/callbacks/" + id + "/complete", "{\"approved\":true}", "x".repeat(64))
                        .statusCode())
                .isEqualTo(401);
        assertThat(call("POST", "/api/executions/a-1/cancel", "", admin.token() + "0")
                        .statusCode())
                .isEqualTo(401);
        assertThat(runtime.execution("a-1").status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(admin.uri().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theEndpointFileIsOwnerOnlyAndGoneWhenTheServerCloses() throws Exception {
        Path file = dir.resolve(EndpointFile.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        EndpointFile.Endpoint e = EndpointFile.read(dir).orElseThrow();
        assertThat(e.uri()).isEqualTo(admin.uri());
        assertThat(e.token()).isEqualTo(admin.token()).hasSize(64);
        assertThat(e.pid()).isEqualTo(ProcessHandle.current().pid());
        admin.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void listShowAndHistoryDescribeTheLiveRuntime() throws Exception {
        runtime.start("approve", "a-1", "a-1");
        runtime.start("charge", "c-1", "c-1");
        waitingCallback("a-1");

        HttpResponse<String> waiting = call("GET", "/api/executions?status=waiting", null);
        HttpResponse<String> failed = call("GET", "/api/executions?function=charge", null);
        HttpResponse<String> show = call("GET", "/api/executions/a-1", null);
        HttpResponse<String> history = call("GET", "/api/executions/a-1/history", null);

        assertThat(waiting.statusCode()).isEqualTo(200);
        assertThat(waiting.body()).contains("\"a-1\"").doesNotContain("\"c-1\"");
        assertThat(failed.body()).contains("\"c-1\"").contains("FAILED").doesNotContain("\"a-1\"");
        assertThat(show.body()).contains("\"manager\"").contains("\"callbackId\"");
        assertThat(history.body()).contains("EXECUTION_STARTED").contains("\"subType\" : \"callback\"");
        assertThat(call("GET", "/api/executions/nope", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/executions?status=sleeping", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aCallbackCompletedOverHttpResumesTheExecutionAndBadRequestsAreRefusedWithAReason() throws Exception {
        runtime.start("approve", "a-1", "a-1");
        String id = waitingCallback("a-1");

        HttpResponse<String> wrongShape = call("POST", "/api/callbacks/" + id + "/complete", "{\"aproved\":true}");
        HttpResponse<String> tooLarge =
                call("POST", "/api/callbacks/" + id + "/complete", "\"" + "x".repeat(100_000) + "\"");
        HttpResponse<String> unknown = call("POST", "/api/callbacks/0123/complete", "{\"approved\":true}");
        HttpResponse<String> done = call("POST", "/api/callbacks/" + id + "/complete", "{\"approved\":true}");
        HttpResponse<String> again = call("POST", "/api/callbacks/" + id + "/complete", "{\"approved\":false}");

        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(wrongShape.body()).contains("does not convert").contains("Nothing was changed");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(runtime.<String>execution("a-1").result(Duration.ofSeconds(20)))
                .isEqualTo("approved a-1");
    }

    @Test
    void aCallbackFailedOverHttpCarriesTypeMessageAndData() throws Exception {
        runtime.start("approve", "a-1", "a-1");
        String id = waitingCallback("a-1");

        HttpResponse<String> r = call(
                "POST",
                "/api/callbacks/" + id + "/fail",
                "{\"errorType\":\"Rejected\",\"message\":\"no budget\",\"errorData\":{\"limit\":10}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(runtime.<String>execution("a-1").result(Duration.ofSeconds(20)))
                .isEqualTo("Rejected: no budget {\"limit\":10}");
    }

    @Test
    void executionsAreStartedCancelledAndRetriedOverHttp() throws Exception {
        HttpResponse<String> started =
                call("POST", "/api/executions", "{\"function\":\"approve\",\"name\":\"a-2\",\"input\":\"a-2\"}");
        HttpResponse<String> badInput =
                call("POST", "/api/executions", "{\"function\":\"approve\",\"name\":\"a-3\",\"input\":{\"x\":1}}");
        HttpResponse<String> badName =
                call("POST", "/api/executions", "{\"function\":\"approve\",\"name\":\"bad\\ud800\",\"input\":\"x\"}");
        HttpResponse<String> conflict =
                call("POST", "/api/executions", "{\"function\":\"approve\",\"name\":\"a-2\",\"input\":\"other\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(badInput.statusCode()).isEqualTo(400);
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("unpaired UTF-16 surrogate");
        assertThat(conflict.statusCode()).isEqualTo(409);
        waitingCallback("a-2");

        assertThat(call("POST", "/api/executions/a-2/cancel", "").statusCode()).isEqualTo(200);
        assertThat(runtime.execution("a-2").status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(call("POST", "/api/executions/a-2/cancel", "").statusCode()).isEqualTo(409);

        runtime.start("charge", "c-1", "c-1");
        runtime.awaitIdle(Duration.ofSeconds(20));
        assertThat(call("POST", "/api/executions/c-1/retry", "").statusCode()).isEqualTo(200);
        assertThat(runtime.<String>execution("c-1").result(Duration.ofSeconds(20)))
                .isEqualTo("charged c-1");
    }

    @Test
    void malformedJsonHeartbeatsAndATimedOutCallbackAreAnsweredAsTheJavaApiWould() throws Exception {
        dev.durable.ManualClock clock = new dev.durable.ManualClock();
        try (LocalRuntime timed = LocalRuntime.builder()
                        .durability(dev.durable.runtime.local.journal.Durability.MEMORY)
                        .clock(clock)
                        .open();
                AdminServer server = timed.serveAdmin()) {
            String[] id = new String[1];
            timed.register(
                    "t",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.waitForCallback(
                            "c",
                            String.class,
                            (cb, s) -> id[0] = cb,
                            CallbackConfig.builder()
                                    .timeout(Duration.ofHours(1))
                                    .build()));
            timed.start("t", "t-1", "in");
            timed.awaitIdle(Duration.ofSeconds(20));
            AdminServer saved = admin;
            admin = server;
            try {
                assertThat(call("POST", "/api/callbacks/" + id[0] + "/heartbeat", "")
                                .statusCode())
                        .isEqualTo(200);
                HttpResponse<String> malformed = call("POST", "/api/executions", "{\"function\": ");
                assertThat(malformed.statusCode()).isEqualTo(400);
                clock.advance(Duration.ofHours(2));
                timed.awaitIdle(Duration.ofSeconds(20));
                HttpResponse<String> late = call("POST", "/api/callbacks/" + id[0] + "/complete", "\"yes\"");
                assertThat(late.statusCode()).isEqualTo(409);
                assertThat(late.body()).contains("timed out");
                assertThat(call("GET", "/api/nothing-here", null).statusCode()).isEqualTo(404);
            } finally {
                admin = saved;
            }
        }
    }

    @Test
    void concurrentStartsAndCompletionsOverHttpAreEachHonouredOnce() throws Exception {
        int n = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> starts = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "a-" + i;
                starts.add(pool.submit(() -> call(
                                "POST",
                                "/api/executions",
                                "{\"function\":\"approve\",\"name\":\"" + name + "\",\"input\":\"" + name + "\"}")
                        .statusCode()));
            }
            for (java.util.concurrent.Future<Integer> f : starts) {
                assertThat(f.get()).isEqualTo(201);
            }
            runtime.awaitIdle(Duration.ofSeconds(30));
            List<java.util.concurrent.Future<Integer>> completions = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String cb = callbacks.get("a-" + i);
                for (int twice = 0; twice < 2; twice++) {
                    completions.add(
                            pool.submit(() -> call("POST", "/api/callbacks/" + cb + "/complete", "{\"approved\":true}")
                                    .statusCode()));
                }
            }
            int ok = 0;
            int refused = 0;
            for (java.util.concurrent.Future<Integer> f : completions) {
                int status = f.get();
                if (status == 200) {
                    ok++;
                } else if (status == 409) {
                    refused++;
                }
            }
            assertThat(ok).isEqualTo(n);
            assertThat(refused).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(runtime.<String>execution("a-" + i).result(Duration.ofSeconds(30)))
                        .isEqualTo("approved a-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
