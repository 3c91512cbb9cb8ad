package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Durable;
import dev.durable.ExecutionStatus;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kit with a {@code @DurableFunction} registered as the proxy durable-processor generates for it. */
@DurableTest
class AnnotatedFunctionTest {
    record Order(String id, int total) {}

    record Decision(boolean approved, String by) {}

    @DurableFunction("orders")
    static class OrderProcessor {
        final Map<String, AtomicInteger> reserveCalls = new ConcurrentHashMap<>();
        final List<String> mails = new CopyOnWriteArrayList<>();

        @Handler
        public String handle(Order order) {
            String reservation = reserve(order);
            int paid = charge(order);
            coolingOff();
            Decision d = askManager(order);
            return reservation + " paid " + paid + (d.approved() ? " approved by " : " rejected by ") + d.by();
        }

        @Step(retry = @Retry(maxAttempts = 3, initialDelay = "PT30S"))
        String reserve(Order o) {
            if (reserveCalls.computeIfAbsent(o.id(), k -> new AtomicInteger()).incrementAndGet() == 1) {
                throw new IllegalStateException("inventory busy");
            }
            return "R-" + o.id();
        }

        @Step
        int charge(Order o) {
            return o.total();
        }

        @Wait("PT24H")
        void coolingOff() {}

        @Callback(timeout = "P7D")
        Decision askManager(Order o) {
            mails.add(Durable.callbackId());
            return null;
        }
    }

    @Test
    void aGeneratedProxyRunsOnTheVirtualClockAndReplaysFromEveryCrashPoint(DurableTestRuntime rt) {
        AnnotatedFunctionTest_OrderProcessor_Durable processor = new AnnotatedFunctionTest_OrderProcessor_Durable();
        assertThat(rt.register(processor)).isEqualTo("orders");

        TestExecution<String> ex = rt.run(rt.start(OrderProcessor.class, "o-1", new Order("A", 30)));
        assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(rt.now())
                .isEqualTo(DurableTestRuntime.DEFAULT_START
                        .plus(Duration.ofSeconds(30))
                        .plus(Duration.ofHours(24)));
        assertThat(ex.operation("reserve").attempts()).isEqualTo(2);
        assertThat(ex.operation("coolingOff").waitDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(processor.mails).containsExactly(ex.callbackId("askManager"));

        rt.restart();
        ex.completeCallback("askManager", new Decision(true, "ann"));
        assertThat(ex.run().result()).isEqualTo("R-A paid 30 approved by ann");

        rt.assertReplaysDeterministically(ex);
        assertThat(rt.replayer()
                        .replay(rt.journal())
                        .assertDeterministic()
                        .execution("o-1")
                        .isOk())
                .isTrue();
    }

    @Test
    void aPlainInstanceWithoutTheAgentIsRefusedAndNotRegisteredAgainOnRestart(DurableTestRuntime rt) {
        assertThatThrownBy(() -> rt.register(new OrderProcessor()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registered as a plain instance");
        rt.register(new AnnotatedFunctionTest_OrderProcessor_Durable());
        rt.restart();
        assertThat(rt.start(OrderProcessor.class, "o-2", new Order("B", 5)).status())
                .isEqualTo(ExecutionStatus.WAITING);
    }
}
