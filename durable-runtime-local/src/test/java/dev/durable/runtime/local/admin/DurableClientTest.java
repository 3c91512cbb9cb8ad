package dev.durable.runtime.local.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed client of the admin endpoint, as another JVM would use it. */
class DurableClientTest {
    record Order(String id, int total) {}

    record Decision(boolean approved) {}

    @TempDir
    Path dir;

    private final Map<String, String> callbacks = new ConcurrentHashMap<>();
    private LocalRuntime app;
    private AdminServer admin;
    private DurableClient client;

    @BeforeEach
    void open() {
        app = LocalRuntime.open(dir);
        app.register("orders", Order.class, String.class, (order, ctx) -> {
            Decision d = ctx.waitForCallback(
                    "manager", Decision.class, (id, s) -> callbacks.put(order.id(), id), CallbackConfig.defaults());
            if (!d.approved()) {
                throw new IllegalStateException("order " + order.id() + " was rejected");
            }
            return "shipped " + order.id() + " for " + order.total();
        });
        admin = app.serveAdmin();
        client = DurableClient.forJournal(dir);
    }

    @AfterEach
    void close() {
        admin.close();
        app.close();
    }

    @Test
    void startCompleteAndReadTheResultThroughTheEndpoint() {
        client.start("orders", "order-42", new Order("42", 12_900));
        app.awaitIdle(Duration.ofSeconds(20));
        client.completeCallback(callbacks.get("42"), new Decision(true));

        assertThat(client.result("order-42", String.class, Duration.ofSeconds(20)))
                .isEqualTo("shipped 42 for 12900");
        assertThat(client.list(ExecutionStatus.SUCCEEDED))
                .extracting(i -> i.name())
                .containsExactly("order-42");
        assertThat(client.history("order-42"))
                .extracting(HistoryEvent::kind)
                .startsWith(HistoryEvent.Kind.EXECUTION_STARTED)
                .endsWith(HistoryEvent.Kind.EXECUTION_SUCCEEDED);
        assertThat(client.start("orders", "order-42", new Order("42", 12_900))
                        .info()
                        .status())
                .isEqualTo(ExecutionStatus.SUCCEEDED); // the same name and input: the existing execution
    }

    @Test
    void refusalsComeBackAsTheExceptionsOfTheJavaApi() {
        client.start("orders", "order-1", new Order("1", 10));
        app.awaitIdle(Duration.ofSeconds(20));
        String id = callbacks.get("1");
        client.completeCallback(id, new Decision(false));

        assertThatThrownBy(() -> client.result("order-1", String.class, Duration.ofSeconds(20)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("was rejected");
        assertThatThrownBy(() -> client.completeCallback(id, new Decision(true)))
                .isInstanceOf(CallbackAlreadyCompletedException.class);
        assertThatThrownBy(() -> client.completeCallback("0123", new Decision(true)))
                .isInstanceOf(UnknownCallbackException.class);
        assertThatThrownBy(() -> client.execution("nope")).isInstanceOf(UnknownExecutionException.class);
        assertThatThrownBy(() -> client.start("orders", "order-1", new Order("1", 99)))
                .isInstanceOf(ExecutionConflictException.class)
                .hasMessageContaining("different input");
        assertThatThrownBy(() -> client.start("orders", "order-2", "not an order"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not convert");
        assertThatThrownBy(
                        () -> DurableClient.connect(admin.uri(), "f".repeat(64)).list())
                .isInstanceOf(DurableClient.TokenRefusedException.class);
    }
}
