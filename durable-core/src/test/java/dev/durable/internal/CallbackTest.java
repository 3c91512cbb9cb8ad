package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.Durable;
import dev.durable.DurableCallback;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionStatus;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import dev.durable.spi.journal.JournalHistory;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallbackTest {
    record Decision(boolean approved, String by) {}

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger submissions = new AtomicInteger();

    private void register(DurableEngine engine, CallbackConfig config) {
        engine.register("approve", String.class, String.class, (order, ctx) -> {
            try {
                Decision d = ctx.waitForCallback(
                        "manager",
                        Decision.class,
                        (id, step) -> {
                            submissions.incrementAndGet();
                            sent.add(id);
                            assertThat(Durable.callbackId()).isEqualTo(id);
                        },
                        config);
                return (d.approved() ? "approved by " : "rejected by ") + d.by();
            } catch (CallbackTimeoutException e) {
                return "timed out: " + e.getMessage();
            } catch (CallbackFailedException e) {
                return "failed: " + e.error().summary();
            }
        });
    }

    private EngineFixture fixture(CallbackConfig config) {
        return new EngineFixture(e -> register(e, config));
    }

    @Test
    void completionFromOutsideResumesTheExecutionWithThePayload() {
        try (EngineFixture f = fixture(CallbackConfig.timeout(Duration.ofDays(7)))) {
            f.engine.start("approve", "o1", "order").toString();
            f.idle();
            assertThat(sent).hasSize(1);
            assertThat(JournalHistory.details("o1", f.journal.read("o1")).info().status())
                    .isEqualTo(ExecutionStatus.WAITING);
            f.restart();
            f.engine.completeCallback(sent.get(0), new Decision(true, "ann"));
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .isEqualTo("approved by ann");
            assertThat(submissions).hasValue(1);
        }
    }

    @Test
    void completionWithJsonWorksAndADuplicateIsRejectedWithoutChangingTheResult() {
        try (EngineFixture f = fixture(CallbackConfig.defaults())) {
            f.engine.start("approve", "o1", "order");
            f.idle();
            f.engine.completeCallbackJson(sent.get(0), "{\"approved\":false,\"by\":\"bob\"}");
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .isEqualTo("rejected by bob");
            assertThatThrownBy(() -> f.engine.completeCallback(sent.get(0), new Decision(true, "eve")))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessageContaining(sent.get(0))
                    .hasMessageContaining("was already completed")
                    .hasMessageContaining("changed nothing");
            f.restart();
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .isEqualTo("rejected by bob");
        }
    }

    @Test
    void failureFromOutsideRaisesCallbackFailedException() {
        try (EngineFixture f = fixture(CallbackConfig.defaults())) {
            f.engine.start("approve", "o1", "order");
            f.idle();
            f.engine.failCallback(sent.get(0), "Rejected", "budget frozen");
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .isEqualTo("failed: Rejected: budget frozen");
        }
    }

    @Test
    void theTimeoutIsADurableTimerThatSurvivesARestart() {
        try (EngineFixture f = fixture(CallbackConfig.timeout(Duration.ofDays(7)))) {
            f.engine.start("approve", "o1", "order");
            f.idle();
            f.restart().advance(Duration.ofDays(6));
            assertThat(f.engine.execution("o1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofDays(1));
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .startsWith("timed out: callback " + sent.get(0))
                    .contains("was not completed within its timeout");
            assertThatThrownBy(() -> f.engine.completeCallback(sent.get(0), new Decision(true, "late")))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessageContaining("timed out");
        }
    }

    @Test
    void heartbeatsKeepTheCallbackAliveUntilTheyStop() {
        try (EngineFixture f = fixture(CallbackConfig.defaults().withHeartbeatTimeout(Duration.ofMinutes(10)))) {
            f.engine.start("approve", "o1", "order");
            f.advance(Duration.ofMinutes(9));
            f.engine.heartbeatCallback(sent.get(0));
            f.advance(Duration.ofMinutes(9));
            f.engine.heartbeatCallback(sent.get(0));
            f.restart().advance(Duration.ofMinutes(9));
            assertThat(f.engine.execution("o1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofMinutes(1));
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .contains("received no heartbeat within PT10M");
        }
    }

    @Test
    void aPayloadOfTheWrongShapeIsRejectedAndTheCallbackStaysCompletable() {
        try (EngineFixture f = fixture(CallbackConfig.defaults())) {
            f.engine.start("approve", "o1", "order");
            f.idle();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(sent.get(0), "{\"approved\":\"maybe\"}"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("does not convert to " + Decision.class.getTypeName())
                    .hasMessageContaining("Nothing was changed");
            assertThatThrownBy(() -> f.engine.completeCallback(sent.get(0), Map.of("approved", List.of(1))))
                    .isInstanceOf(SerializationException.class);
            f.restart();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(sent.get(0), "[1,2]"))
                    .isInstanceOf(SerializationException.class);
            f.engine.completeCallback(sent.get(0), Map.of("approved", true, "by", "map"));
            assertThat(f.engine.<String>execution("o1").result(Duration.ofSeconds(5)))
                    .isEqualTo("approved by map");
        }
    }

    @Test
    void unknownIdsAndCancelledExecutionsGetClearErrors() {
        try (EngineFixture f = fixture(CallbackConfig.defaults())) {
            assertThatThrownBy(() -> f.engine.completeCallback("nope", "x"))
                    .isInstanceOf(UnknownCallbackException.class)
                    .hasMessageContaining("no callback with id 'nope'");
            f.engine.start("approve", "o1", "order");
            f.idle();
            assertThat(f.engine.cancel("o1")).isTrue();
            assertThat(f.engine.cancel("o1")).isFalse();
            assertThatThrownBy(() -> f.engine.completeCallback(sent.get(0), new Decision(true, "x")))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessageContaining("the execution has ended (CANCELLED)");
            assertThatThrownBy(() -> f.engine.execution("o1").result(Duration.ofSeconds(1)))
                    .isInstanceOf(ExecutionCancelledException.class);
            f.restart();
            assertThat(f.engine.execution("o1").status()).isEqualTo(ExecutionStatus.CANCELLED);
        }
    }

    @Test
    void callbackIdsAreUnguessable128BitValues() {
        try (EngineFixture f = fixture(CallbackConfig.defaults())) {
            for (int i = 0; i < 50; i++) {
                f.engine.start("approve", "o" + i, "order");
            }
            f.idle();
            Set<String> ids = new HashSet<>(sent);
            assertThat(ids).hasSize(50);
            assertThat(ids).allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
        }
    }

    @Test
    void createCallbackAndGetWorkSeparately() {
        List<String> ids = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("two", String.class, String.class, (in, ctx) -> {
            DurableCallback<String> a = ctx.createCallback("a", String.class, CallbackConfig.defaults());
            DurableCallback<String> b = ctx.createCallback("b", String.class, CallbackConfig.defaults());
            ctx.step("send", String.class, s -> {
                ids.add(a.id());
                ids.add(b.id());
                return "sent";
            });
            return a.get() + b.get();
        }))) {
            f.engine.start("two", "t", "in");
            f.idle();
            f.engine.completeCallback(ids.get(1), "B");
            f.idle();
            assertThat(f.engine.execution("t").status()).isEqualTo(ExecutionStatus.WAITING);
            f.engine.completeCallback(ids.get(0), "A");
            assertThat(f.engine.<String>execution("t").result(Duration.ofSeconds(5)))
                    .isEqualTo("AB");
        }
    }
}
