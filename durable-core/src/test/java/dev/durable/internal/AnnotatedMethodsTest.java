package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Durable;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.spi.weaving.DurableProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The path generated proxies and the agent take, through a proxy written by hand the way the processor writes it. */
class AnnotatedMethodsTest {
    record Order(String id, int total) {}

    @DurableFunction("orders")
    static class OrderProcessor {
        final AtomicInteger reserves = new AtomicInteger();
        final AtomicInteger charges = new AtomicInteger();
        final List<String> mails = new CopyOnWriteArrayList<>();

        @Handler
        public String handle(Order order) {
            List<String> r = reserve(order);
            int paid = charge(order);
            coolingOff(Duration.ofHours(1));
            boolean ok = approve(order);
            return r + " paid=" + paid + " approved=" + ok + " at "
                    + Durable.context().now();
        }

        @Step(retry = @Retry(maxAttempts = 3, initialDelay = "PT10S"))
        List<String> reserve(Order o) {
            if (reserves.incrementAndGet() == 1) {
                throw new IllegalStateException("inventory busy");
            }
            return List.of("item-" + o.id());
        }

        @Step
        int charge(Order o) {
            charges.incrementAndGet();
            return o.total();
        }

        @Wait
        void coolingOff(Duration d) {}

        @Callback(timeout = "P1D")
        boolean approve(Order o) {
            mails.add(Durable.callbackId());
            return false;
        }
    }

    /** What durable-processor generates for {@link OrderProcessor}. */
    static final class OrderProcessorDurable extends OrderProcessor implements DurableProxy {
        private static final DurableMethod RESERVE = DurableMethod.of(OrderProcessor.class, "reserve", Order.class);
        private static final DurableMethod CHARGE = DurableMethod.of(OrderProcessor.class, "charge", Order.class);
        private static final DurableMethod COOLING_OFF =
                DurableMethod.of(OrderProcessor.class, "coolingOff", Duration.class);
        private static final DurableMethod APPROVE = DurableMethod.of(OrderProcessor.class, "approve", Order.class);

        @Override
        @SuppressWarnings("unchecked")
        List<String> reserve(Order o) {
            return (List<String>) call(RESERVE, new Object[] {o}, () -> super.reserve(o));
        }

        @Override
        int charge(Order o) {
            return (Integer) call(CHARGE, new Object[] {o}, () -> super.charge(o));
        }

        @Override
        void coolingOff(Duration d) {
            call(COOLING_OFF, new Object[] {d}, () -> {
                super.coolingOff(d);
                return null;
            });
        }

        @Override
        boolean approve(Order o) {
            return (Boolean) call(APPROVE, new Object[] {o}, () -> super.approve(o));
        }
    }

    /** What a generated proxy's overriding method does: the durable call, with checked failures undeclared. */
    static Object call(DurableMethod m, Object[] args, DurableMethods.MethodBody body) {
        try {
            return DurableMethods.call(m, args, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new java.lang.reflect.UndeclaredThrowableException(t);
        }
    }

    @Test
    void annotatedMethodsAreCheckpointedRetriedAndReplayed() {
        OrderProcessorDurable processor = new OrderProcessorDurable();
        try (EngineFixture f =
                new EngineFixture(e -> assertThat(e.register(processor)).isEqualTo("orders"))) {
            Instant start = f.clock.now();
            f.engine.start(OrderProcessor.class, "o-1", new Order("A", 30));
            f.advance(Duration.ofSeconds(10));
            assertThat(processor.reserves).hasValue(2);
            f.restart().advance(Duration.ofHours(1));
            assertThat(processor.mails).hasSize(1);
            f.engine.completeCallback(processor.mails.get(0), true);
            assertThat(f.engine.<String>execution("o-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("[item-A] paid=30 approved=true at "
                            + start.plus(Duration.ofSeconds(10)).plus(Duration.ofHours(1)));
            assertThat(processor.reserves).hasValue(2);
            assertThat(processor.charges).hasValue(1);
        }
    }

    @Test
    void outsideAnExecutionAnnotatedMethodsArePlainCalls() {
        OrderProcessorDurable processor = new OrderProcessorDurable();
        assertThat(processor.charge(new Order("B", 5))).isEqualTo(5);
        assertThat(processor.charges).hasValue(1);
    }

    @Test
    void aPlainInstanceIsRefusedWithTheFix() {
        try (EngineFixture f = new EngineFixture(e -> {})) {
            assertThatThrownBy(() -> f.engine.register(new OrderProcessor()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("registered as a plain instance")
                    .hasMessageContaining("-javaagent:durable-agent.jar");
            assertThatThrownBy(() -> f.engine.register("not durable"))
                    .hasMessageContaining("is not a durable function");
        }
    }

    static class BadWait {
        @Wait
        void noDuration() {}

        @Wait("tomorrow")
        void malformed() {}
    }

    @Test
    void malformedAnnotationsAreReportedWhenTheDescriptorIsBuilt() throws Exception {
        assertThatThrownBy(() -> DurableMethod.of(BadWait.class.getDeclaredMethod("noDuration")))
                .hasMessageContaining("@Wait has no duration");
        assertThatThrownBy(() -> DurableMethod.of(BadWait.class.getDeclaredMethod("malformed")))
                .hasMessageContaining("'tomorrow' is not an ISO-8601 duration");
    }

    @Test
    void eachRunOfAnAnnotatedStepIsAnAttemptPluginsHearAndAReplayedOneIsNot() {
        OrderProcessorDurable processor = new OrderProcessorDurable();
        PluginHooksTest.Recorder r = new PluginHooksTest.Recorder();
        try (EngineFixture f = new EngineFixture(none -> {}, r)) {
            DurableEngine e = f.engine;
            dev.durable.ManualClock clock = f.clock;
            e.register(processor);
            e.start(OrderProcessor.class, "o-1", new Order("A", 30));
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofSeconds(10));
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofHours(1)); // the cooling-off ends: a run that replays both steps
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(processor.mails).hasSize(1);
        }
        assertThat(r.matching("attempt-end 1 "))
                .containsExactly("attempt-end 1 1 RETRYING", "attempt-end 1 2 SUCCEEDED");
        assertThat(r.matching("attempt-end 2 ")).containsExactly("attempt-end 2 1 SUCCEEDED");
    }
}
