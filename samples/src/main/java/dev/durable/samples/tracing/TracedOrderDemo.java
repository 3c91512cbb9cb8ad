package dev.durable.samples.tracing;

import dev.durable.opentelemetry.DurableTracing;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.ProcessScript;
import dev.durable.samples.orders.Decision;
import dev.durable.samples.orders.Order;
import dev.durable.samples.orders.OrderProcessor_Durable;
import dev.durable.samples.orders.Receipt;
import dev.durable.samples.orders.Services;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The order of the order-processing sample, traced with OpenTelemetry across a restart: the first runtime runs it
 * until it waits for the manager's approval and closes; a second runtime on the same journal (each with its own
 * tracer, as two processes would have) completes the approval and the order ships. Both runtimes' spans join one
 * trace, which this prints as a tree.
 */
public final class TracedOrderDemo {
    private static final String EXECUTION = "order-42";
    private static final Order ORDER =
            new Order("42", "ada@example.com", List.of("keyboard", "mouse"), 12_900, "grace@example.com");

    private TracedOrderDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir =
                Path.of(args.length > 0 ? args[0] : "target/trace-demo-journal").toAbsolutePath();
        System.out.print(run(dir));
    }

    /** Runs the order across a restart in {@code dir} (emptied first) and returns its trace, drawn as a tree. */
    public static String run(Path dir) throws Exception {
        ProcessScript.deleteRecursively(dir);
        Files.createDirectories(dir);
        Services services = new Services(dir.resolve("effects.log"));
        CollectingExporter spans = new CollectingExporter();
        String callback;
        try (LocalRuntime first = LocalRuntime.builder()
                .directory(dir.resolve("journal"))
                .plugin(DurableTracing.create(spans))
                .open()) {
            CompletableFuture<String> mailed = new CompletableFuture<>();
            services.onCall(call -> {
                if (call.startsWith("mail")) {
                    mailed.complete(call.substring(call.lastIndexOf(' ') + 1));
                }
            });
            first.register(new OrderProcessor_Durable(services, Duration.ofMillis(300)));
            OrderProcessor_Durable.start(first, EXECUTION, ORDER);
            callback = mailed.get(60, TimeUnit.SECONDS);
            first.awaitIdle(Duration.ofSeconds(30));
        } // the runtime stops here, with the order waiting for the manager
        Receipt receipt;
        try (LocalRuntime second = LocalRuntime.builder()
                .directory(dir.resolve("journal"))
                .plugin(DurableTracing.create(spans))
                .open()) {
            second.register(new OrderProcessor_Durable(services, Duration.ofMillis(300)));
            second.completeCallback(callback, new Decision(true, "grace@example.com"));
            receipt = second.<Receipt>execution(EXECUTION).result(Duration.ofSeconds(30));
        }
        return "receipt: " + receipt + "\n" + tree(spans.all);
    }

    /** The spans drawn as trees, one per trace: each span under its parent, children in start order. */
    static String tree(List<SpanData> spans) {
        Map<String, List<SpanData>> children = spans.stream()
                .collect(Collectors.groupingBy(s -> s.getParentSpanContext().isValid() ? s.getParentSpanId() : ""));
        StringBuilder out = new StringBuilder();
        for (SpanData root : sorted(children.getOrDefault("", List.of()))) {
            out.append("trace ").append(root.getTraceId()).append('\n');
            draw(root, children, "", "", out);
        }
        return out.toString();
    }

    private static void draw(
            SpanData span, Map<String, List<SpanData>> children, String lead, String indent, StringBuilder out) {
        out.append(lead)
                .append(span.getName())
                .append("  ")
                .append(String.format("%.1f ms", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6))
                .append("  ")
                .append(span.getStatus().getStatusCode());
        String status = status(span);
        if (status != null) {
            out.append("  ").append(status);
        }
        out.append('\n');
        List<SpanData> kids = sorted(children.getOrDefault(span.getSpanId(), List.of()));
        for (int i = 0; i < kids.size(); i++) {
            boolean last = i == kids.size() - 1;
            draw(kids.get(i), children, indent + (last ? "└─ " : "├─ "), indent + (last ? "   " : "│  "), out);
        }
    }

    private static String status(SpanData span) {
        for (String key : List.of(
                "durable.execution.status",
                "durable.invocation.status",
                "durable.operation.status",
                "durable.attempt.outcome")) {
            String v = span.getAttributes().get(AttributeKey.stringKey(key));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static List<SpanData> sorted(List<SpanData> spans) {
        List<SpanData> copy = new ArrayList<>(spans);
        copy.sort(Comparator.comparingLong(SpanData::getStartEpochNanos).thenComparing(SpanData::getName));
        return copy;
    }

    /** Keeps every span it is given, where a real exporter would send them on. */
    public static final class CollectingExporter implements SpanExporter {
        /** The spans exported so far, in the order they ended. */
        public final List<SpanData> all = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            all.addAll(spans);
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
}
