package dev.durable.benchmarks;

import dev.durable.DurableContext;
import dev.durable.opentelemetry.DurableTracing;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Item 8: what tracing costs. Sequential steps in one execution with and without the OpenTelemetry plugin (its spans
 * built and handed to an exporter that drops them), in MEMORY mode, where the engine's own work is all there is,
 * and in SYNC mode, where each step waits for a force.
 */
final class TracingOverhead {
    /** Drops every span, counting them so that the exporter's work is not optimised away. */
    static final class DroppingExporter implements SpanExporter {
        final AtomicLong spans = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAndGet(batch.size());
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
