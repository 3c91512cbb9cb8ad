package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.admin.AdminServer;
import dev.durable.runtime.local.admin.EndpointFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code durable console}: the running application's console, or one served on the journal itself. */
class ConsoleCommandTest {
    @TempDir
    Path dir;

    @Test
    void withTheApplicationRunningItPrintsTheApplicationsConsoleAddressWithItsToken() {
        SampleJournal.create(dir);
        try (LocalRuntime app = LocalRuntime.open(dir);
                AdminServer admin = app.serveAdmin()) {
            Cli r = Cli.on(dir, "console");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains(admin.uri() + "#token=" + admin.token());
        }
    }

    @Test
    void withoutTheApplicationItServesTheConsoleOnTheJournalUntilInterrupted() throws Exception {
        SampleJournal.create(dir);
        AtomicReference<Cli> result = new AtomicReference<>();
        Thread console = new Thread(() -> result.set(Cli.on(dir, "console")));
        console.start();
        EndpointFile.Endpoint endpoint = null;
        HttpClient http = HttpClient.newHttpClient();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); endpoint == null; ) {
            endpoint = EndpointFile.read(dir).orElse(null);
            assertThat(System.nanoTime())
                    .as("the console wrote no endpoint file within 30 s")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(endpoint.uri()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> list = http.send(
                HttpRequest.newBuilder(endpoint.uri().resolve("api/executions"))
                        .header("Authorization", "Bearer " + endpoint.token())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Durable console");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
        assertThat(list.body()).contains("order-1").contains("bad-2").contains("echo-3");
        console.interrupt();
        console.join(Duration.ofSeconds(30).toMillis());
        assertThat(console.isAlive()).isFalse();
        assertThat(EndpointFile.read(dir)).isEmpty();
        assertThat(result.get().out()).contains("console at " + endpoint.uri() + "#token=" + endpoint.token());
        assertThat(URI.create(endpoint.uri().toString()).getHost()).isEqualTo("127.0.0.1");
    }
}
