package dev.durable.opentelemetry;

import dev.durable.ErrorInfo;
import dev.durable.spi.plugin.AttemptEnd;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.ExecutionEnd;
import dev.durable.spi.plugin.ExecutionRef;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.InvocationStart;
import dev.durable.spi.plugin.InvocationStatus;
import dev.durable.spi.plugin.OperationEnd;
import dev.durable.spi.plugin.OperationStart;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Traces executions with OpenTelemetry: one trace per execution, across invocations, processes and restarts.
 *
 * <p>Spans: {@code Workflow} (the execution, emitted when it ends, from its start), {@code Invocation} (one run of the
 * handler), one per operation named by the operation (emitted at its end), and {@code <name> attempt N} per run of
 * user code. Trace and span ids derive from the execution's name and start time (and the operation id), so a resumed
 * execution's spans join the tree of its first invocation, whichever process emits them. An invoked execution is a
 * trace of its own whose {@code Workflow} links to the caller's invoke span. Work replayed from the journal emits
 * nothing. While user code runs, SLF4J's MDC holds {@code trace_id} and {@code span_id}.
 *
 * <pre>{@code
 * SpanExporter exporter = OtlpGrpcSpanExporter.getDefault();
 * LocalRuntime runtime = LocalRuntime.builder().directory(dir).plugin(DurableTracing.create(exporter)).open();
 * }</pre>
 *
 * <p>Spans are handed to the exporter one at a time as they end; give it a batching exporter where that matters.
 */
public final class DurableTracing implements DurablePlugin {
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";
    private static final AttributeKey<String> EXECUTION_NAME = AttributeKey.stringKey("durable.execution.name");
    private static final AttributeKey<String> EXECUTION_FUNCTION = AttributeKey.stringKey("durable.execution.function");
    private static final AttributeKey<String> EXECUTION_STATUS = AttributeKey.stringKey("durable.execution.status");
    private static final AttributeKey<Boolean> INVOCATION_FIRST = AttributeKey.booleanKey("durable.invocation.first");
    private static final AttributeKey<String> INVOCATION_STATUS = AttributeKey.stringKey("durable.invocation.status");
    private static final AttributeKey<String> SUSPENDED_ON = AttributeKey.stringKey("durable.invocation.suspended_on");
    private static final AttributeKey<String> OPERATION_ID = AttributeKey.stringKey("durable.operation.id");
    private static final AttributeKey<String> OPERATION_KIND = AttributeKey.stringKey("durable.operation.kind");
    private static final AttributeKey<String> OPERATION_SUB_KIND = AttributeKey.stringKey("durable.operation.sub_kind");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("durable.operation.name");
    private static final AttributeKey<String> OPERATION_STATUS = AttributeKey.stringKey("durable.operation.status");
    private static final AttributeKey<Long> ATTEMPT_NUMBER = AttributeKey.longKey("durable.attempt.number");
    private static final AttributeKey<String> ATTEMPT_OUTCOME = AttributeKey.stringKey("durable.attempt.outcome");

    private final SpanExporter exporter;
    private final Resource resource;
    private final InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("dev.durable");
    /** The invocation running for each execution in this process, by execution name. */
    private final Map<String, SpanContext> invocations = new ConcurrentHashMap<>();
    /** When this process first met each unfinished operation, so its span begins before its first attempt. */
    private final Map<String, Instant> began = new ConcurrentHashMap<>();
    /** Each execution's ids, derived once; dropped when it ends. */
    private final Map<ExecutionRef, TraceIds> ids = new ConcurrentHashMap<>();
    /** What the MDC held before each running attempt, to put back at its end. */
    private final Map<AttemptStart, String> mdcBefore = new ConcurrentHashMap<>();

    private DurableTracing(SpanExporter exporter, Resource resource) {
        this.exporter = Objects.requireNonNull(exporter, "exporter must not be null");
        this.resource = Objects.requireNonNull(resource, "resource must not be null");
    }

    /** A tracer that hands its spans to {@code exporter}, with the SDK's default resource. */
    public static DurableTracing create(SpanExporter exporter) {
        return new DurableTracing(exporter, Resource.getDefault());
    }

    /** A tracer that hands its spans to {@code exporter}, describing this process as {@code resource}. */
    public static DurableTracing create(SpanExporter exporter, Resource resource) {
        return new DurableTracing(exporter, resource);
    }

    /** The trace of an execution: the same in every process, derived from its name and start time. */
    public static String traceId(String executionName, Instant startedAt) {
        return TraceIds.of(executionName, startedAt).traceId;
    }

    @Override
    public void onExecutionEnd(ExecutionEnd end) {
        ExecutionRef x = end.execution();
        List<LinkData> links = new ArrayList<>();
        if (x.parent() != null && x.parentStartedAt() != null) {
            TraceIds caller = TraceIds.of(x.parent(), x.parentStartedAt());
            links.add(LinkData.create(caller.context("op:" + x.parentOperationId())));
        }
        Attributes attributes = Attributes.builder()
                .put(EXECUTION_NAME, x.name())
                .put(EXECUTION_FUNCTION, x.function())
                .put(EXECUTION_STATUS, end.status().name())
                .build();
        export(
                "Workflow",
                ids(x).context("workflow"),
                SpanContext.getInvalid(),
                x.startedAt(),
                end.endedAt(),
                attributes,
                end.status().name().equals("SUCCEEDED"),
                end.error(),
                links);
        ids.remove(x);
    }

    @Override
    public void onInvocationStart(InvocationStart start) {
        ExecutionRef x = start.execution();
        SpanContext span =
                SpanContext.create(ids(x).traceId, randomSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
        invocations.put(x.name(), span);
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
    }

    @Override
    public void onInvocationEnd(InvocationEnd end) {
        ExecutionRef x = end.start().execution();
        SpanContext span = invocations.remove(x.name());
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
        if (span == null) {
            return;
        }
        AttributesBuilder a = Attributes.builder()
                .put(EXECUTION_NAME, x.name())
                .put(INVOCATION_FIRST, end.start().firstInvocation())
                .put(INVOCATION_STATUS, end.status().name());
        if (end.suspendedOn() != null) {
            a.put(SUSPENDED_ON, end.suspendedOn().name());
        }
        export(
                "Invocation",
                span,
                ids(x).context("workflow"),
                end.start().startedAt(),
                end.endedAt(),
                a.build(),
                end.status() != InvocationStatus.FAILED,
                end.error(),
                List.of());
    }

    @Override
    public void onOperationStart(OperationStart start) {
        began.merge(key(start.execution(), start.id()), start.startedAt(), (a, b) -> a.isBefore(b) ? a : b);
    }

    @Override
    public void onOperationEnd(OperationEnd end) {
        ExecutionRef x = end.execution();
        Instant seen = began.remove(key(x, end.id()));
        Instant from = seen != null && seen.isBefore(end.startedAt()) ? seen : end.startedAt();
        Attributes attributes = Attributes.builder()
                .put(EXECUTION_NAME, x.name())
                .put(OPERATION_ID, end.id())
                .put(OPERATION_KIND, end.kind())
                .put(OPERATION_SUB_KIND, end.subKind().name())
                .put(OPERATION_NAME, end.name())
                .put(OPERATION_STATUS, end.status())
                .build();
        export(
                end.name(),
                ids(x).context("op:" + end.id()),
                parentOf(x, end.id()),
                from,
                end.endedAt(),
                attributes,
                end.succeeded(),
                end.error(),
                invocationLink(x));
    }

    @Override
    public void onAttemptStart(AttemptStart start) {
        if (start.replayingChildren()) {
            return;
        }
        String before = MDC.get(SPAN_ID);
        mdcBefore.put(start, before == null ? "" : before);
        SpanContext span = attempt(start);
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
    }

    @Override
    public void onAttemptEnd(AttemptEnd end) {
        AttemptStart s = end.start();
        if (s.replayingChildren()) {
            return; // a body run again only to rebuild its result from the journal: nothing new happened
        }
        String before = mdcBefore.remove(s);
        if (before == null || before.isEmpty()) {
            MDC.remove(TRACE_ID); // a branch's thread: nothing of this execution was there before
            MDC.remove(SPAN_ID);
        } else {
            MDC.put(SPAN_ID, before);
        }
        ExecutionRef x = s.execution();
        Attributes attributes = Attributes.builder()
                .put(EXECUTION_NAME, x.name())
                .put(OPERATION_ID, s.operationId())
                .put(OPERATION_NAME, s.name())
                .put(OPERATION_SUB_KIND, s.subKind().name())
                .put(ATTEMPT_NUMBER, (long) s.attempt())
                .put(ATTEMPT_OUTCOME, end.outcome().name())
                .build();
        boolean ok = end.outcome() != AttemptOutcome.FAILED && end.outcome() != AttemptOutcome.RETRYING;
        export(
                s.name() + " attempt " + s.attempt(),
                attempt(s),
                ids(x).context("op:" + s.operationId()),
                s.startedAt(),
                end.endedAt(),
                attributes,
                ok,
                end.error(),
                invocationLink(x));
    }

    private TraceIds ids(ExecutionRef x) {
        return ids.computeIfAbsent(x, r -> TraceIds.of(r.name(), r.startedAt()));
    }

    private SpanContext parentOf(ExecutionRef x, String id) {
        int slash = id.lastIndexOf('/');
        return ids(x).context(slash < 0 ? "workflow" : "op:" + id.substring(0, slash));
    }

    private SpanContext attempt(AttemptStart s) {
        Instant t = s.startedAt();
        return ids(s.execution())
                .context("attempt:" + s.operationId() + ":" + s.attempt() + ":" + t.getEpochSecond() + "."
                        + t.getNano());
    }

    private List<LinkData> invocationLink(ExecutionRef x) {
        SpanContext inv = invocations.get(x.name());
        return inv == null ? List.of() : List.of(LinkData.create(inv));
    }

    private static String key(ExecutionRef x, String id) {
        return x.name() + '\0' + id;
    }

    private static String randomSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return String.format("%016x", id);
    }

    private void export(
            String name,
            SpanContext span,
            SpanContext parent,
            Instant start,
            Instant end,
            Attributes attributes,
            boolean ok,
            ErrorInfo error,
            List<LinkData> links) {
        List<EventData> events = error == null
                ? List.of()
                : List.of(EventData.create(
                        nanos(end),
                        "exception",
                        Attributes.builder()
                                .put("exception.type", error.type())
                                .put("exception.message", String.valueOf(error.message()))
                                .put("exception.stacktrace", error.stackText())
                                .build()));
        StatusData status = ok
                ? StatusData.ok()
                : StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, error == null ? "" : error.summary());
        long startNanos = nanos(start);
        exporter.export(List.of(new FinishedSpan(
                name,
                span,
                parent,
                status,
                startNanos,
                Math.max(startNanos, nanos(end)),
                attributes,
                events,
                links,
                resource,
                scope)));
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
