package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.HistoryEvent;
import dev.durable.UnknownCallbackException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A callback's deadline is a timer of the clock while the callback is pending and its execution open: moved by each
 * heartbeat, dropped when the callback is answered or its execution forgotten, and when it fires the callback times
 * out and its execution runs to see it.
 */
class CallbackTimersTest {
    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean registered = true;
    private final EngineFixture f = new EngineFixture(this::register);

    @AfterEach
    void close() {
        f.close();
    }

    private void register(DurableEngine e) {
        if (!registered) {
            return;
        }
        e.register("remind", String.class, String.class, (order, ctx) -> {
            runs.incrementAndGet();
            callbackOf.put(
                    order,
                    ctx.createCallback(
                                    "ping",
                                    String.class,
                                    CallbackConfig.defaults().withHeartbeatTimeout(Duration.ofMinutes(1)))
                            .id());
            ctx.wait("nap", Duration.ofHours(1));
            return order;
        });
        e.register("approve", String.class, String.class, (order, ctx) -> {
            runs.incrementAndGet();
            return ctx.waitForCallback(
                    "manager",
                    String.class,
                    (id, step) -> callbackOf.put(order, id),
                    CallbackConfig.timeout(Duration.ofMinutes(10)).withHeartbeatTimeout(Duration.ofMinutes(5)));
        });
        e.register("then-nap", String.class, String.class, (order, ctx) -> {
            runs.incrementAndGet();
            String answer = ctx.waitForCallback(
                    "manager",
                    String.class,
                    (id, step) -> callbackOf.put(order, id),
                    CallbackConfig.timeout(Duration.ofHours(1)));
            ctx.wait("nap", Duration.ofHours(2));
            return answer;
        });
        e.register("leave", String.class, String.class, (order, ctx) -> {
            callbackOf.put(
                    order,
                    ctx.createCallback("unanswered", String.class, CallbackConfig.timeout(Duration.ofHours(1)))
                            .id());
            return order;
        });
    }

    private boolean timedOut(String execution) {
        List<HistoryEvent> history = f.engine.history(execution);
        return history.stream()
                .anyMatch(h -> h.error() != null && h.error().type().equals(CallbackTimeoutException.class.getName()));
    }

    @Test
    void aHeartbeatMovesTheCallbacksOneTimerAndTheTimeoutWakesTheExecution() {
        f.engine.start("remind", "r", "r");
        f.idle();
        assertThat(f.clock.pendingTimers()).isEqualTo(2); // the nap's and the callback's
        f.advance(Duration.ofSeconds(50));
        f.engine.heartbeatCallback(callbackOf.get("r"));
        assertThat(f.clock.pendingTimers()).isEqualTo(2);
        f.advance(Duration.ofSeconds(59));
        assertThat(timedOut("r")).isFalse();
        assertThat(runs).hasValue(1);
        f.advance(Duration.ofSeconds(1));
        assertThat(timedOut("r")).isTrue();
        assertThat(runs).hasValue(2);
        assertThat(f.clock.pendingTimers()).isEqualTo(1); // the nap's
    }

    @Test
    void aHeartbeatDoesNotRunTheExecution() {
        f.engine.start("approve", "a", "a");
        f.idle();
        f.engine.heartbeatCallback(callbackOf.get("a"));
        f.idle();
        assertThat(runs).hasValue(1);
    }

    @Test
    void anAnsweredCallbackLeavesNoTimerOnTheClock() {
        f.engine.start("approve", "a", "a");
        f.idle();
        f.engine.completeCallback(callbackOf.get("a"), "yes");
        assertThat(f.engine.<String>execution("a").result(Duration.ofSeconds(5)))
                .isEqualTo("yes");
        f.idle();
        assertThat(f.clock.pendingTimers()).isZero();
    }

    @Test
    void aCallbackOfACancelledExecutionDoesNotTimeOutAndAnAnswerIsToldTheExecutionEnded() {
        f.engine.start("approve", "a", "a");
        f.idle();
        f.engine.cancel("a");
        f.advance(Duration.ofMinutes(10));
        assertThat(timedOut("a")).isFalse();
        assertThatThrownBy(() -> f.engine.completeCallback(callbackOf.get("a"), "late"))
                .isInstanceOf(CallbackAlreadyCompletedException.class)
                .hasMessageContaining("can no longer be completed: the execution has ended (CANCELLED)");
    }

    @Test
    void forgettingAnEndedExecutionDropsTheTimerOfItsUnansweredCallback() {
        f.engine.start("leave", "l", "l");
        f.idle();
        assertThat(f.clock.pendingTimers()).isEqualTo(1);
        f.advance(Duration.ofMinutes(1));
        assertThat(f.engine.forgetFinished(f.clock.now())).isEqualTo(1);
        assertThat(f.clock.pendingTimers()).isZero();
    }

    @Test
    void aLookupAfterARestartArmsTheDeadlinesOfTheOpenExecutionsItReadsButNotOfEndedOnes() {
        f.engine.start("approve", "a", "a");
        f.engine.start("leave", "l", "l");
        f.idle();
        registered = false; // the process restarts without these functions: nothing runs
        f.restart();
        assertThat(f.clock.pendingTimers()).isZero();
        assertThatThrownBy(() -> f.engine.completeCallback("0123456789abcdef0123456789abcdef", "x"))
                .isInstanceOf(UnknownCallbackException.class);
        assertThat(f.clock.pendingTimers()).isEqualTo(1);
        f.advance(Duration.ofMinutes(5));
        assertThat(timedOut("a")).isTrue();
        assertThat(timedOut("l")).isFalse();
    }

    @Test
    void theCallbackOfAForgottenExecutionStaysUnknownWhenItsNameIsStartedAgain() {
        f.engine.start("leave", "l", "first");
        f.idle();
        String old = callbackOf.get("first");
        f.advance(Duration.ofMinutes(1));
        f.engine.forgetFinished(f.clock.now());
        f.engine.start("leave", "l", "second");
        f.idle();
        assertThatThrownBy(() -> f.engine.completeCallback(old, "late")).isInstanceOf(UnknownCallbackException.class);
    }

    @Test
    void anExecutionWokenBeforeItsDueTimeIsNotWokenAgainThen() {
        f.engine.start("then-nap", "t", "t");
        f.idle();
        f.advance(Duration.ofMinutes(10));
        f.engine.completeCallback(callbackOf.get("t"), "yes");
        f.idle();
        assertThat(runs).hasValue(2);
        f.advance(Duration.ofHours(1)); // when the callback would have timed out
        assertThat(runs).hasValue(2);
        f.advance(Duration.ofHours(1));
        assertThat(f.engine.<String>execution("t").result(Duration.ofSeconds(5)))
                .isEqualTo("yes");
        assertThat(runs).hasValue(3);
    }
}
