package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.micrometer.DurableMetrics;
import dev.durable.opentelemetry.DurableTracing;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.tracing.TracedOrderDemo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Traces and metrics" set-ups, run. */
class ObservabilityExampleTest {
    @TempDir
    Path dir;

    private final TracedOrderDemo.CollectingExporter spanExporter = new TracedOrderDemo.CollectingExporter();
    private final List<SpanData> exported = spanExporter.all;

    @Test
    void tracingIsOnePluginOnTheBuilder() {
        // spanExporter: any OpenTelemetry SpanExporter, OtlpGrpcSpanExporter.getDefault() for instance
        try (LocalRuntime runtime = LocalRuntime.builder()
                .directory(dir)
                .plugin(DurableTracing.create(spanExporter))
                .open()) {
            runtime.register(
                    "greet",
                    String.class,
                    String.class,
                    (name, ctx) -> ctx.step("hello", String.class, s -> "hello " + name));
            System.out.println(runtime.<String>start("greet", "g-1", "ada").result(Duration.ofSeconds(10)));
        }
        assertThat(exported).extracting(SpanData::getName).contains("Workflow", "Invocation", "hello");
        assertThat(exported)
                .extracting(SpanData::getTraceId)
                .containsOnly(exported.get(0).getTraceId());
    }

    @Test
    void metricsAreOnePluginOnTheBuilder() {
        MeterRegistry registry = new SimpleMeterRegistry(); // Prometheus, Datadog, ... in production
        try (LocalRuntime runtime = LocalRuntime.builder()
                .directory(dir)
                .plugin(new DurableMetrics(registry))
                .open()) {
            runtime.register(
                    "greet",
                    String.class,
                    String.class,
                    (name, ctx) -> ctx.step("hello", String.class, s -> "hello " + name));
            runtime.start("greet", "g-1", "ada").result(Duration.ofSeconds(10));
            System.out.println(
                    registry.get("durable.journal.commit.records").summary().mean());
        }
        assertThat(registry.get("durable.executions.finished")
                        .tag("function", "greet")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("durable.journal.commit.records").summary().totalAmount())
                .isGreaterThan(2);
    }
}
