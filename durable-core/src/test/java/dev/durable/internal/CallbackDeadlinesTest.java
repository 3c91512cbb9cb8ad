package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.PayloadTooLargeException;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** When a callback stops accepting an answer from outside, and what the refusal and the handler say. */
class CallbackDeadlinesTest {
    private final List<String> ids = new CopyOnWriteArrayList<>();

    private EngineFixture waitingFor(CallbackConfig config) {
        return new EngineFixture(e -> e.register("cb", String.class, String.class, (in, ctx) -> {
            try {
                return "got " + ctx.waitForCallback("answer", String.class, (id, s) -> ids.add(id), config);
            } catch (CallbackTimeoutException t) {
                return "timeout: " + t.getMessage();
            } catch (CallbackFailedException x) {
                return "failed: " + x.errorType() + "|" + x.errorMessage() + "|" + x.errorData() + "|" + x.getMessage();
            }
        }));
    }

    private String where(String id) {
        return "callback " + id + " (operation 1 'answer' of execution 'x')";
    }

    private static String result(EngineFixture f) {
        return f.engine.<String>execution("x").result(Duration.ofSeconds(5));
    }

    @Test
    void anAnswerAMomentBeforeTheTimeoutIsAcceptedAndOneAtTheTimeoutIsNot() {
        try (EngineFixture f = waitingFor(CallbackConfig.timeout(Duration.ofSeconds(10)))) {
            f.engine.start("cb", "x", "in");
            f.advance(Duration.ofMillis(9999));
            f.engine.completeCallback(ids.get(0), "in time");
            assertThat(result(f)).isEqualTo("got in time");
        }
        ids.clear();
        try (EngineFixture f = waitingFor(CallbackConfig.timeout(Duration.ofSeconds(10)))) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.idle();
            f.engine.close(); // no timer fires: the call itself must notice the deadline
            f.clock.advance(Duration.ofSeconds(10));
            f.restart();
            String due = start.plusSeconds(10).toString();
            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "late"))
                    .isInstanceOf(CallbackTimeoutException.class)
                    .hasMessage(where(ids.get(0)) + " timed out at " + due + " (" + where(ids.get(0))
                            + " was not completed within its timeout (due " + due + ")); this call changed nothing");
            assertThat(result(f))
                    .isEqualTo("timeout: " + where(ids.get(0)) + " was not completed within its timeout (due " + due
                            + ")");
        }
    }

    @Test
    void aMissingHeartbeatTimesOutBeforeTheOverallTimeoutAndSaysSo() {
        try (EngineFixture f = waitingFor(CallbackConfig.builder()
                .timeout(Duration.ofSeconds(10))
                .heartbeatTimeout(Duration.ofSeconds(4))
                .build())) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.idle();
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(4));
            f.advance(Duration.ofSeconds(3));
            f.engine.heartbeatCallback(ids.get(0));
            f.advance(Duration.ofMillis(3999));
            assertThat(f.engine.describe("x").info().status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofMillis(1));
            assertThat(result(f))
                    .isEqualTo("timeout: " + where(ids.get(0)) + " received no heartbeat within PT4S (due "
                            + start.plusSeconds(7) + ")");
            assertThat(f.engine.history("x"))
                    .filteredOn(h -> h.kind() == HistoryEvent.Kind.CALLBACK_HEARTBEAT)
                    .hasSize(1);
        }
    }

    @Test
    void heartbeatsCannotKeepACallbackAliveBeyondItsOverallTimeout() {
        try (EngineFixture f = waitingFor(CallbackConfig.builder()
                .timeout(Duration.ofSeconds(10))
                .heartbeatTimeout(Duration.ofSeconds(4))
                .build())) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            for (int i = 0; i < 3; i++) {
                f.advance(Duration.ofSeconds(3));
                f.engine.heartbeatCallback(ids.get(0));
            }
            f.advance(Duration.ofMillis(999)); // 9 + 4 is later than the timeout
            assertThat(f.engine.describe("x").info().status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofMillis(1));
            assertThat(result(f))
                    .isEqualTo("timeout: " + where(ids.get(0)) + " was not completed within its timeout (due "
                            + start.plusSeconds(10) + ")");
        }
    }

    @Test
    void theHeartbeatDeadlineCountsFromTheLastHeartbeatRecordedBeforeARestart() {
        try (EngineFixture f = waitingFor(
                CallbackConfig.builder().heartbeatTimeout(Duration.ofSeconds(5)).build())) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.advance(Duration.ofSeconds(4));
            f.engine.heartbeatCallback(ids.get(0));
            f.restart();
            f.advance(Duration.ofMillis(4999));
            f.engine.completeCallback(ids.get(0), "alive");
            assertThat(result(f)).isEqualTo("got alive");
        }
    }

    @Test
    void aFailureWithoutATypeIsACallbackErrorAndItsDataReachesTheHandler() {
        try (EngineFixture f = waitingFor(CallbackConfig.defaults())) {
            f.engine.start("cb", "x", "in");
            f.idle();
            f.engine.failCallback(ids.get(0), " ", "no reason", "{\"code\":7}");
            assertThat(result(f))
                    .isEqualTo("failed: CallbackError|no reason|{\"code\":7}|" + where(ids.get(0))
                            + " was failed: CallbackError: no reason");
        }
        ids.clear();
        try (EngineFixture f = waitingFor(CallbackConfig.defaults())) {
            f.engine.start("cb", "x", "in");
            f.idle();
            f.engine.failCallback(ids.get(0), null, null);
            assertThat(result(f)).startsWith("failed: CallbackError|null|null|");
        }
    }

    @Test
    void errorDataOverThePayloadLimitIsRefusedAndChangesNothing() {
        try (EngineFixture f = new EngineFixture(
                e -> e.register(
                        "cb",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.waitForCallback(
                                "answer", String.class, (id, s) -> ids.add(id), CallbackConfig.defaults())),
                1024)) {
            f.engine.start("cb", "x", "in");
            f.idle();
            assertThatThrownBy(() -> f.engine.failCallback(ids.get(0), "E", "m", "d".repeat(2000)))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("the error data for " + where(ids.get(0)));
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "\"" + "p".repeat(2000) + "\""))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("the payload for " + where(ids.get(0)));
            f.engine.completeCallback(ids.get(0), "small");
            assertThat(result(f)).isEqualTo("small");
        }
    }

    @Test
    void aSecondAnswerIsRefusedSayingHowAndWhenTheFirstEndedIt() {
        try (EngineFixture f = waitingFor(CallbackConfig.defaults())) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.advance(Duration.ofSeconds(2));
            f.engine.failCallback(ids.get(0), "E", "m");
            f.idle();
            assertThatThrownBy(() -> f.engine.completeCallback(ids.get(0), "again"))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessage(where(ids.get(0)) + " was already failed at " + start.plusSeconds(2)
                            + "; this call changed nothing");
            assertThatThrownBy(() -> f.engine.heartbeatCallback(ids.get(0)))
                    .isInstanceOf(CallbackAlreadyCompletedException.class);
        }
        ids.clear();
        try (EngineFixture f = waitingFor(CallbackConfig.defaults())) {
            Instant start = f.clock.now();
            f.engine.start("cb", "x", "in");
            f.advance(Duration.ofSeconds(3));
            f.engine.completeCallback(ids.get(0), "first");
            f.restart();
            assertThatThrownBy(() -> f.engine.failCallback(ids.get(0), "E", "m"))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessage(where(ids.get(0)) + " was already completed at " + start.plusSeconds(3)
                            + "; this call changed nothing");
            assertThat(result(f)).isEqualTo("got first");
        }
    }

    @Test
    void aCallbackFoundOnlyInTheJournalChecksItsPayloadAgainstTheJournaledType() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "cb",
                String.class,
                Integer.class,
                (in, ctx) -> ctx.waitForCallback(
                        "answer", Integer.class, (id, s) -> ids.add(id), CallbackConfig.defaults())))) {
            f.engine.start("cb", "x", "in");
            f.idle();
            f.restart();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), "\"seven\""))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageStartingWith(
                            "the payload for " + where(ids.get(0)) + " does not convert to java.lang.Integer: ")
                    .hasMessageEndingWith(". Nothing was changed; send a payload of that type.");
            f.engine.completeCallbackJson(ids.get(0), "7");
            assertThat(f.engine.<Integer>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo(7);
        }
    }

    @Test
    void missingIdsAndPayloadsAreNamed() {
        try (EngineFixture f = waitingFor(CallbackConfig.defaults())) {
            f.engine.start("cb", "x", "in");
            f.idle();
            assertThatThrownBy(() -> f.engine.completeCallbackJson(ids.get(0), null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("json must not be null");
            assertThatThrownBy(() -> f.engine.completeCallback("0123", "x"))
                    .isInstanceOf(UnknownCallbackException.class)
                    .hasMessage(
                            "no callback with id '0123' exists in this runtime's journal; check the id (it is"
                                    + " case-sensitive), and that the execution has reached the callback and was not removed by retention");
            f.engine.completeCallback(ids.get(0), null);
            assertThat(result(f)).isEqualTo("got null");
        }
    }
}
