package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.SerDes;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.OperationEnd;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A payload the runtime could not check when it arrived (its serializer cannot name the awaited type) and the handler
 * then could not convert fails the callback and, uncaught, the execution; an operator's retry makes the callback
 * pending again, with its deadline, so that a payload of the right shape can be sent.
 */
class CallbackRetryTest {
    record Decision(boolean approved, String by) {}

    /** JSON, but not the runtime's own serializer: a callback read back from the journal is not checked on arrival. */
    private static final class Opaque implements SerDes {
        private final SerDes json = JsonSerDes.defaults();

        @Override
        public String serialize(Object value, Type type) {
            return json.serialize(value, type);
        }

        @Override
        public Object deserialize(String data, Type type) {
            return json.deserialize(data, type);
        }
    }

    private final MemoryJournal journal = new MemoryJournal();
    private final ManualClock clock = new ManualClock();
    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private final List<OperationEnd> ends = new CopyOnWriteArrayList<>();
    private DurableEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    private void open(boolean register) {
        journal.reopen();
        engine = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .serdes(new Opaque())
                .plugin(new DurablePlugin() {
                    @Override
                    public void onOperationEnd(OperationEnd end) {
                        ends.add(end);
                    }
                })
                .build();
        if (register) {
            register();
        }
    }

    private void register() {
        engine.register("approve", String.class, String.class, (order, ctx) -> {
            Decision d = ctx.waitForCallback(
                    "manager",
                    Decision.class,
                    (id, step) -> callbackOf.put(order, id),
                    CallbackConfig.timeout(Duration.ofHours(1)));
            return "approved by " + d.by();
        });
        engine.register(
                "nested",
                String.class,
                String.class,
                (order, ctx) -> ctx.runInChildContext(
                        "review",
                        String.class,
                        child -> child.waitForCallback(
                                        "manager",
                                        Decision.class,
                                        (id, step) -> callbackOf.put(order, id),
                                        CallbackConfig.defaults())
                                .by()));
    }

    private void idle() {
        assertThat(engine.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aRetryAfterAnUnconvertiblePayloadMakesTheCallbackPendingAgainWithItsDeadline() {
        open(true);
        engine.start("approve", "o", "o");
        idle();
        engine.close();
        open(false); // restarted before the function is registered: the callback is read from the journal
        engine.completeCallbackJson(callbackOf.get("o"), "{\"approved\":\"maybe\"}");
        register();
        assertThatThrownBy(() -> engine.execution("o").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class);
        idle();
        assertThat(engine.execution("o").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(clock.pendingTimers()).isZero();

        engine.retry("o");
        idle();
        assertThat(engine.execution("o").status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(clock.pendingTimers()).isEqualTo(2); // the execution's and its callback's deadline
        engine.completeCallback(callbackOf.get("o"), new Decision(true, "eve"));
        assertThat(engine.<String>execution("o").result(Duration.ofSeconds(5))).isEqualTo("approved by eve");
    }

    @Test
    void aPayloadTheHandlerCouldNotConvertEndsTheCallbackForPluginsUnderItsContext() {
        open(true);
        engine.start("nested", "n", "n");
        idle();
        engine.close();
        open(false);
        engine.completeCallbackJson(callbackOf.get("n"), "{\"approved\":\"maybe\"}");
        register();
        assertThatThrownBy(() -> engine.execution("n").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class);
        idle();
        assertThat(ends)
                .filteredOn(end -> end.status().equals("FAILED") && end.name().equals("manager"))
                .singleElement()
                .satisfies(end -> {
                    assertThat(end.id()).isEqualTo("1/1");
                    assertThat(end.parentId()).isEqualTo("1");
                    assertThat(end.name()).isEqualTo("manager");
                    assertThat(end.error().type()).isEqualTo(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE);
                });
    }
}
