package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.AttemptInfo;
import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.DurableCallback;
import dev.durable.StepConfig;
import dev.durable.StepInterruptedException;
import dev.durable.annotations.StepSemantics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@DurableTest
class KitCrashAndLogTest {
    private final AtomicInteger charges = new AtomicInteger();
    private final AtomicInteger shipments = new AtomicInteger();

    private void registerOrder(DurableTestRuntime rt, StepSemantics chargeSemantics) {
        rt.register("order", String.class, String.class, (order, ctx) -> {
            ctx.logger().info("charging {}", order);
            String receipt = ctx.step(
                    "charge",
                    String.class,
                    s -> "receipt-" + charges.incrementAndGet(),
                    StepConfig.builder().semantics(chargeSemantics).build());
            ctx.wait("cooling-off", Duration.ofHours(1));
            ctx.logger().info("shipping {}", order);
            return ctx.step("ship", String.class, s -> receipt + " shipped " + shipments.incrementAndGet());
        });
    }

    @Test
    void aCrashAfterAStepsBodyBeforeItsOutcomeRunsTheAtLeastOnceBodyAgainAfterTheRestart(DurableTestRuntime rt) {
        registerOrder(rt, StepSemantics.AT_LEAST_ONCE_PER_RETRY);
        rt.restartAfterRecord("o-1", 1); // only the start is written: the charge's outcome is lost with the process
        rt.start("order", "o-1", "A");
        assertThat(rt.run("o-1").result()).isEqualTo("receipt-2 shipped 1");
        assertThat(charges).hasValue(2);
    }

    @Test
    void aCrashInTheMiddleOfAnAtMostOnceStepEndsThatAttemptAsInterrupted(DurableTestRuntime rt) {
        registerOrder(rt, StepSemantics.AT_MOST_ONCE_PER_RETRY);
        rt.restartAfterRecord("o-1", 2); // the start and the charge attempt's start
        rt.start("order", "o-1", "A");
        TestExecution<String> ex = rt.run("o-1");
        assertThat(ex.result()).isEqualTo("receipt-2 shipped 1");
        assertThat(rt.describe("o-1").operations().get(0).attempts())
                .extracting(AttemptInfo::status)
                .containsExactly("RETRY", "SUCCEEDED");
        assertThat(rt.describe("o-1")
                        .operations()
                        .get(0)
                        .attempts()
                        .get(0)
                        .error()
                        .type())
                .isEqualTo(StepInterruptedException.class.getName());
    }

    @Test
    void loggedLinesAreCapturedOnceAlthoughTheHandlerReplaysAfterTheWaitAndARestart(DurableTestRuntime rt) {
        registerOrder(rt, StepSemantics.AT_LEAST_ONCE_PER_RETRY);
        rt.start("order", "o-1", "A");
        rt.awaitIdle().restart();
        rt.run("o-1");
        assertThat(rt.logLines("o-1")).containsExactly("charging A", "shipping A");
    }

    @Test
    void runFiresACallbackTimeoutThatFallsDueWhileTheHandlerWaitsOnSomethingElse(DurableTestRuntime rt) {
        rt.register("approve", String.class, String.class, (in, ctx) -> {
            DurableCallback<String> cb =
                    ctx.createCallback("manager", String.class, CallbackConfig.timeout(Duration.ofHours(1)));
            ctx.wait("paperwork", Duration.ofHours(2));
            try {
                return cb.get();
            } catch (CallbackTimeoutException e) {
                return "no answer";
            }
        });
        rt.start("approve", "a-1", "A");
        assertThat(rt.run("a-1").result()).isEqualTo("no answer");
        assertThat(rt.history("a-1"))
                .anyMatch(h -> h.kind() == dev.durable.HistoryEvent.Kind.OPERATION_TIMED_OUT
                        && h.at().equals(DurableTestRuntime.DEFAULT_START.plus(Duration.ofHours(1))));
    }
}
