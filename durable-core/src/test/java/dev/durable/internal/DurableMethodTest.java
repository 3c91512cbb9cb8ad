package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JsonSerDes;
import dev.durable.OperationInfo;
import dev.durable.RetryPolicy;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.annotations.Callback;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the annotations of a durable method mean: kind, journaled name, return type and configuration. */
class DurableMethodTest {
    /** Upper-cases strings on their way out of the journal. */
    public static final class Shouting implements SerDes {
        @Override
        public String serialize(Object value, Type type) {
            return JsonSerDes.defaults().serialize(value, type);
        }

        @Override
        public Object deserialize(String data, Type type) {
            Object v = JsonSerDes.defaults().deserialize(data, type);
            return v instanceof String s ? s.toUpperCase() : v;
        }
    }

    /** A serializer without a no-argument constructor. */
    public static final class NeedsArgument implements SerDes {
        public NeedsArgument(String x) {}

        @Override
        public String serialize(Object value, Type type) {
            return "";
        }

        @Override
        public Object deserialize(String data, Type type) {
            return null;
        }
    }

    static class Methods {
        @Step
        Map<String, List<Integer>> plain() {
            return null;
        }

        @Step(
                value = "load-items",
                semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY,
                serdes = Shouting.class,
                retry =
                        @Retry(
                                maxAttempts = 5,
                                initialDelay = "PT2S",
                                backoff = 3.0,
                                maxDelay = "PT20S",
                                jitter = 0.5,
                                retryOn = IOException.class,
                                noRetryOn = java.io.FileNotFoundException.class))
        String configured() {
            return null;
        }

        @Step(retry = @Retry(initialDelay = "", maxDelay = ""))
        String noDelays() {
            return null;
        }

        @Step(serdes = Void.class)
        String voidSerdes() {
            return null;
        }

        @Step(serdes = String.class)
        String notASerdes() {
            return null;
        }

        @Step(serdes = NeedsArgument.class)
        String unbuildableSerdes() {
            return null;
        }

        @Wait("PT90M")
        void fixed() {}

        @Wait(name = "cool-off")
        void byDuration(String label, Duration d, Instant ignored) {}

        @Wait
        void byInstant(int n, Instant until) {}

        @Callback(name = "approval", timeout = "P2D", heartbeatTimeout = "PT1H")
        boolean approve() {
            return false;
        }

        @Callback
        boolean unlimited() {
            return false;
        }

        @Step
        @Wait("PT1S")
        void both() {}

        void none() {}

        @Step
        @Wait("PT1S")
        @Callback
        void all() {}
    }

    private static DurableMethod of(String name, Class<?>... params) {
        return DurableMethod.of(Methods.class, name, params);
    }

    @Test
    void aPlainStepIsNamedAfterItsMethodAndRetriesByTheDefaults() throws Exception {
        DurableMethod m = of("plain");
        assertThat(m.kind()).isEqualTo(DurableMethod.Kind.STEP);
        assertThat(m.name()).isEqualTo("plain");
        assertThat(m.method()).isEqualTo(Methods.class.getDeclaredMethod("plain"));
        assertThat(m.returnType()).isEqualTo(new TypeToken<Map<String, List<Integer>>>() {}.type());
        assertThat(m.stepConfig().semantics()).isEqualTo(StepSemantics.AT_LEAST_ONCE_PER_RETRY);
        assertThat(m.stepConfig().serdes()).isNull();
        assertThat(m.callbackConfig()).isNull();
        RetryPolicy p = (RetryPolicy) m.stepConfig().retry();
        assertThat(p).hasToString(RetryPolicy.defaults().toString());
        assertThat(m).hasToString("STEP 'plain' (Methods.plain)");
    }

    @Test
    void everyStepSettingOfTheAnnotationIsApplied() {
        DurableMethod m = of("configured");
        assertThat(m.name()).isEqualTo("load-items");
        assertThat(m.stepConfig().semantics()).isEqualTo(StepSemantics.AT_MOST_ONCE_PER_RETRY);
        assertThat(m.stepConfig().serdes()).isInstanceOf(Shouting.class);
        RetryPolicy p = (RetryPolicy) m.stepConfig().retry();
        assertThat(p)
                .hasToString("RetryPolicy{maxAttempts=5, initialDelay=PT2S, backoff=3.0, maxDelay=PT20S, jitter=0.5}");
        SplittableRandom r = new SplittableRandom(1);
        assertThat(p.decide(new IOException(), 1, r).retry()).isTrue();
        assertThat(p.decide(new java.io.FileNotFoundException(), 1, r).retry()).isFalse();
        assertThat(p.decide(new IllegalStateException(), 1, r).retry()).isFalse();
    }

    @Test
    void emptyDelaysMeanNoInitialDelayAndAOneMinuteCap() {
        RetryPolicy p = (RetryPolicy) of("noDelays").stepConfig().retry();
        assertThat(p.initialDelay()).isEqualTo(Duration.ZERO);
        assertThat(p.maxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(of("voidSerdes").stepConfig().serdes()).isNull();
    }

    @Test
    void aSerializerThatIsNoneOrCannotBeBuiltIsRefusedNamingTheMethod() {
        String where = Methods.class.getName();
        assertThatThrownBy(() -> of("notASerdes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(where + ".notASerdes @Step serdes java.lang.String does not implement dev.durable.SerDes");
        assertThatThrownBy(() -> of("unbuildableSerdes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(where + ".unbuildableSerdes @Step serdes " + NeedsArgument.class.getName()
                        + " needs a public no-argument constructor");
    }

    @Test
    void waitsAreNeverRetriedAndTakeTheirDurationFromTheAnnotationOrAParameter() {
        DurableMethod fixed = of("fixed");
        assertThat(fixed.kind()).isEqualTo(DurableMethod.Kind.WAIT);
        assertThat(fixed.name()).isEqualTo("fixed");
        assertThat(((RetryPolicy) fixed.stepConfig().retry()).maxAttempts()).isEqualTo(1);
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(fixed.waitUntil(new Object[0], now)).isEqualTo(now.plus(Duration.ofMinutes(90)));
        DurableMethod byDuration = of("byDuration", String.class, Duration.class, Instant.class);
        assertThat(byDuration.name()).isEqualTo("cool-off");
        assertThat(byDuration.waitUntil(new Object[] {"x", Duration.ofSeconds(5), Instant.EPOCH}, now))
                .isEqualTo(now.plusSeconds(5));
        DurableMethod byInstant = of("byInstant", int.class, Instant.class);
        assertThat(byInstant.waitUntil(new Object[] {1, now.plusSeconds(60)}, now))
                .isEqualTo(now.plusSeconds(60));
        assertThat(byInstant.callbackConfig()).isNull();
    }

    @Test
    void aNullWaitArgumentIsRefusedNamingItsTypeAndTheMethod() {
        Instant now = Instant.EPOCH;
        assertThatThrownBy(() -> of("byInstant", int.class, Instant.class).waitUntil(new Object[] {1, null}, now))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the Instant argument of @Wait method Methods.byInstant is null");
        assertThatThrownBy(() -> of("byDuration", String.class, Duration.class, Instant.class)
                        .waitUntil(new Object[] {"x", null, now}, now))
                .hasMessage("the Duration argument of @Wait method Methods.byDuration is null");
    }

    @Test
    void callbacksTakeTheirTimeoutsFromTheAnnotation() {
        DurableMethod m = of("approve");
        assertThat(m.kind()).isEqualTo(DurableMethod.Kind.CALLBACK);
        assertThat(m.name()).isEqualTo("approval");
        assertThat(m.callbackConfig().timeout()).isEqualTo(Duration.ofDays(2));
        assertThat(m.callbackConfig().heartbeatTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(m.stepConfig().retry()).isSameAs(m.callbackConfig().submitterRetry());
        assertThat(m).hasToString("CALLBACK 'approval' (Methods.approve)");
        DurableMethod unlimited = of("unlimited");
        assertThat(unlimited.name()).isEqualTo("unlimited");
        assertThat(unlimited.callbackConfig().timeout()).isNull();
        assertThat(unlimited.callbackConfig().heartbeatTimeout()).isNull();
    }

    @Test
    void aMethodMustCarryExactlyOneOfTheAnnotations() {
        String where = Methods.class.getName();
        assertThatThrownBy(() -> of("both"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(where + ".both must carry exactly one of @Step, @Wait, @Callback, has 2");
        assertThatThrownBy(() -> of("none"))
                .hasMessage(where + ".none must carry exactly one of @Step, @Wait, @Callback, has 0");
        assertThatThrownBy(() -> of("all"))
                .hasMessage(where + ".all must carry exactly one of @Step, @Wait, @Callback, has 3");
        assertThatThrownBy(() -> DurableMethod.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("method must not be null");
        assertThatThrownBy(() -> of("gone"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("generated code refers to " + where + ".gone which no longer exists; recompile so the"
                        + " annotation processor regenerates the proxy");
    }

    private static final DurableMethod CONFIGURED = of("configured");
    private static final DurableMethod BY_INSTANT = of("byInstant", int.class, Instant.class);

    @Test
    void anAnnotatedStepAndWaitAreJournaledUnderTheirNamesAndReplayed() {
        try (EngineFixture f = new EngineFixture(e -> e.register("m", String.class, String.class, (in, ctx) -> {
            try {
                String loaded = (String) DurableMethods.call(CONFIGURED, new Object[0], () -> "quiet");
                DurableMethods.call(BY_INSTANT, new Object[] {1, ctx.now().plusSeconds(30)}, () -> null);
                return loaded;
            } catch (RuntimeException | Error x) {
                throw x;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }))) {
            Instant start = f.clock.now();
            f.engine.start("m", "x", "in");
            f.idle();
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(30));
            f.restart().advance(Duration.ofSeconds(30));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("QUIET");
            assertThat(f.engine.describe("x").operations())
                    .extracting(OperationInfo::name)
                    .containsExactly("load-items", "now", "byInstant", "byInstant");
        }
    }
}
