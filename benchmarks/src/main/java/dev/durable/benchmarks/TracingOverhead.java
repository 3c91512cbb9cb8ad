package dev.durable.benchmarks;

import dev.durable.DurableContext;
import dev.durable.opentelemetry.DurableTracing;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Item 8: what tracing costs. Sequential steps in one execution with and without the OpenTelemetry plugin (its spans
 * built and handed to an exporter that reads and drops them), in MEMORY mode, where the engine's own work is all there is,
 * and in SYNC mode, where each step waits for a force.
 */
final class TracingOverhead {
    /**
     * Reads every field of every span, as an exporter that serializes them would, then drops it; so a span whose parts
     * were built only when read costs here what it costs a real exporter.
     */
    static final class DroppingExporter implements SpanExporter {
        final AtomicLong spans = new AtomicLong();
        final AtomicLong checksum = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            long sum = 0;
            for (SpanData s : batch) {
                sum += s.getName().length()
                        + s.getTraceId().length()
                        + s.getSpanId().hashCode();
                sum += s.getParentSpanId().hashCode() + s.getStartEpochNanos() + s.getEndEpochNanos();
                sum += s.getStatus().getStatusCode().ordinal() + s.getKind().ordinal();
                sum += s.getLinks().size()
                        + s.getEvents().size()
                        + s.getResource().getAttributes().size();
                long[] attributes = {0};
                s.getAttributes().forEach((k, v) -> attributes[0] += k.getKey().length() + v.hashCode());
                sum += attributes[0];
            }
            spans.addAndGet(batch.size());
            checksum.addAndGet(sum);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    record Result(double plain, double traced, long spans) {
        double overhead() {
            return 1 - traced / plain;
        }

        /** What tracing adds to each step, in microseconds. */
        double microsPerStep() {
            return 1e6 / traced - 1e6 / plain;
        }
    }

    /**
     * The floor any OpenTelemetry instrumentation pays: microseconds per step for the two spans a step makes (the
     * operation's and its attempt's, with the same attributes), built by the SDK's own tracer and handed to the same
     * exporter. Median of {@code repeats} runs of {@code steps} steps, after as many for warm-up.
     */
    static double sdkFloor(int steps, int repeats) {
        DroppingExporter exporter = new DroppingExporter();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            Tracer tracer = provider.get("dev.durable.benchmarks");
            double[] micros = new double[repeats];
            for (int r = -repeats; r < repeats; r++) {
                long start = System.nanoTime();
                Span workflow = tracer.spanBuilder("Workflow").startSpan();
                Context root = Context.root().with(workflow);
                for (int i = 0; i < steps; i++) {
                    String id = Integer.toString(i + 1);
                    Span op = tracer.spanBuilder("step")
                            .setParent(root)
                            .setAttribute("durable.execution.name", "run")
                            .setAttribute("durable.operation.id", id)
                            .setAttribute("durable.operation.kind", "STEP")
                            .setAttribute("durable.operation.name", "step")
                            .setAttribute("durable.operation.sub_kind", "STEP")
                            .startSpan();
                    Span attempt = tracer.spanBuilder("step attempt 1")
                            .setParent(root.with(op))
                            .setAttribute("durable.attempt.number", 1L)
                            .setAttribute("durable.execution.name", "run")
                            .setAttribute("durable.operation.id", id)
                            .setAttribute("durable.operation.name", "step")
                            .setAttribute("durable.operation.sub_kind", "STEP")
                            .startSpan();
                    attempt.setAttribute("durable.attempt.outcome", "SUCCEEDED");
                    attempt.setStatus(StatusCode.OK);
                    attempt.end();
                    op.setAttribute("durable.operation.status", "SUCCEEDED");
                    op.setStatus(StatusCode.OK);
                    op.end();
                }
                workflow.end();
                if (r >= 0) {
                    micros[r] = (System.nanoTime() - start) / 1e3 / steps;
                }
            }
            return median(micros);
        }
    }

    private TracingOverhead() {}

    /** Medians of {@code repeats} interleaved pairs of runs of {@code steps} steps each. */
    static Result measure(Supplier<LocalRuntime.Builder> runtimes, int steps, int repeats) {
        DroppingExporter exporter = new DroppingExporter();
        for (int w = 0; w < 8; w++) { // the traced path has more code for the JIT to compile before it settles
            run(runtimes.get(), steps, null);
            run(runtimes.get(), steps, exporter);
        }
        double[] plain = new double[repeats];
        double[] traced = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            plain[r] = run(runtimes.get(), steps, null);
            traced[r] = run(runtimes.get(), steps, exporter);
        }
        return new Result(median(plain), median(traced), exporter.spans.get());
    }

    /**
     * Medians of {@code repeats} interleaved pairs of runs of {@code executions} executions of {@code steps} steps each,
     * one after the other, without the plugin and with it sampling {@code ratio} of the executions.
     */
    static Result measureSampled(int executions, int steps, double ratio, int repeats) {
        DroppingExporter exporter = new DroppingExporter();
        Sampler sampler = Sampler.traceIdRatioBased(ratio);
        double[] plain = new double[repeats];
        double[] traced = new double[repeats];
        for (int r = -8; r < repeats; r++) { // the first eight warm the JIT
            double p = runMany(memory(), executions, steps);
            double t = runMany(
                    memory().plugin(DurableTracing.create(exporter, Resource.getDefault(), sampler)),
                    executions,
                    steps);
            if (r >= 0) {
                plain[r] = p;
                traced[r] = t;
            }
        }
        return new Result(median(plain), median(traced), exporter.spans.get());
    }

    private static double runMany(LocalRuntime.Builder builder, int executions, int steps) {
        try (LocalRuntime rt = builder.open()) {
            rt.register("traced", Integer.class, Integer.class, (n, ctx) -> steps(ctx, n));
            long start = System.nanoTime();
            for (int i = 0; i < executions; i++) {
                rt.<Integer>start("traced", "run-" + i, steps).result(Duration.ofMinutes(5));
            }
            return (long) executions * steps / ((System.nanoTime() - start) / 1e9);
        }
    }

    static LocalRuntime.Builder memory() {
        return LocalRuntime.builder().durability(Durability.MEMORY);
    }

    static LocalRuntime.Builder sync(Path dir) {
        return LocalRuntime.builder().directory(dir).durability(Durability.SYNC);
    }

    private static double run(LocalRuntime.Builder builder, int steps, SpanExporter exporter) {
        if (exporter != null) {
            builder.plugin(DurableTracing.create(exporter));
        }
        try (LocalRuntime rt = builder.open()) {
            rt.register("traced", Integer.class, Integer.class, (n, ctx) -> steps(ctx, n));
            long start = System.nanoTime();
            rt.<Integer>start("traced", "run", steps).result(Duration.ofMinutes(5));
            return steps / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static int steps(DurableContext ctx, int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            int value = i;
            sum += ctx.step("step", Integer.class, s -> value);
        }
        return sum;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
