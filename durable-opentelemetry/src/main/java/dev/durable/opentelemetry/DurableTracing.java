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
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
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

    private static final SpanAttributes.Keys WORKFLOW_KEYS =
            new SpanAttributes.Keys(EXECUTION_FUNCTION, EXECUTION_NAME, EXECUTION_STATUS);
    private static final SpanAttributes.Keys INVOCATION_KEYS =
            new SpanAttributes.Keys(EXECUTION_NAME, INVOCATION_FIRST, INVOCATION_STATUS, SUSPENDED_ON);
    private static final SpanAttributes.Keys OPERATION_KEYS = new SpanAttributes.Keys(
            EXECUTION_NAME, OPERATION_ID, OPERATION_KIND, OPERATION_NAME, OPERATION_STATUS, OPERATION_SUB_KIND);
    private static final SpanAttributes.Keys ATTEMPT_KEYS = new SpanAttributes.Keys(
            ATTEMPT_NUMBER, ATTEMPT_OUTCOME, EXECUTION_NAME, OPERATION_ID, OPERATION_NAME, OPERATION_SUB_KIND);

    private final SpanExporter exporter;
    private final Resource resource;
    private final Sampler sampler;
    private final InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("dev.durable");
    /** What this process keeps of each execution it runs, by execution name; dropped when the execution ends. */
    private final Map<String, Traced> executions = new ConcurrentHashMap<>();
    /** What the MDC's span id was before each attempt running on this thread, innermost last. */
    private final ThreadLocal<ArrayDeque<String>> mdcBefore = ThreadLocal.withInitial(ArrayDeque::new);

    /** One execution's trace as this process sees it. */
    private static final class Traced {
        final Instant startedAt;
        final TraceIds ids;
        /** The invocation running now, and the link to it that its operations' spans carry. */
        volatile SpanContext invocation;

        volatile List<LinkData> invocationLink = List.of();
        /** When this process first met each unfinished operation, so its span begins before its first attempt. */
        final Map<String, Instant> began = new ConcurrentHashMap<>();
        /** Set when the execution ended: the invocation that ended it, if any, drops this. */
        volatile boolean ended;

        /** Whether the sampler samples this execution's trace. */
        final boolean sampled;

        Traced(ExecutionRef x, Sampler sampler) {
            this.startedAt = x.startedAt();
            this.ids = TraceIds.of(x.name(), x.startedAt());
            this.sampled = sampler.shouldSample(
                                    Context.root(),
                                    ids.traceId,
                                    "Workflow",
                                    SpanKind.INTERNAL,
                                    Attributes.empty(),
                                    List.of())
                            .getDecision()
                    == SamplingDecision.RECORD_AND_SAMPLE;
        }
    }

    private DurableTracing(SpanExporter exporter, Resource resource, Sampler sampler) {
        this.exporter = Objects.requireNonNull(exporter, "exporter must not be null");
        this.resource = Objects.requireNonNull(resource, "resource must not be null");
        this.sampler = Objects.requireNonNull(sampler, "sampler must not be null");
    }

    /** A tracer that hands its spans to {@code exporter}, with the SDK's default resource. */
    public static DurableTracing create(SpanExporter exporter) {
        return new DurableTracing(exporter, Resource.getDefault(), Sampler.alwaysOn());
    }

    /** A tracer that hands its spans to {@code exporter}, describing this process as {@code resource}. */
    public static DurableTracing create(SpanExporter exporter, Resource resource) {
        return new DurableTracing(exporter, resource, Sampler.alwaysOn());
    }

    /**
     * A tracer that traces only the executions {@code sampler} samples, deciding once per execution on its trace id
     * (with no parent), so every process decides alike. Executions it drops cost no hook at all:
     * {@code Sampler.traceIdRatioBased(0.05)} traces one in twenty.
     *
     * <pre>{@code
     * DurableTracing.create(exporter, Resource.getDefault(), Sampler.traceIdRatioBased(0.05))
     * }</pre>
     */
    public static DurableTracing create(SpanExporter exporter, Resource resource, Sampler sampler) {
        return new DurableTracing(exporter, resource, sampler);
    }

    /** Whether the sampler samples execution {@code x}: the engine then reports its runs, operations and attempts. */
    @Override
    public boolean observes(ExecutionRef x) {
        Traced t = traced(x);
        if (!t.sampled) {
            executions.remove(x.name(), t); // nothing to keep for it until its end
        }
        return t.sampled;
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
            links.add(LinkData.create(caller.operation(x.parentOperationId())));
        }
        Traced t = traced(x);
        if (!t.sampled) {
            executions.remove(x.name(), t);
            return;
        }
        export(
                "Workflow",
                t.ids.workflow(),
                SpanContext.getInvalid(),
                x.startedAt(),
                end.endedAt(),
                new SpanAttributes(
                        WORKFLOW_KEYS, x.function(), x.name(), end.status().name()),
                end.status().name().equals("SUCCEEDED"),
                end.error(),
                links);
        t.ended = true;
        if (t.invocation == null) {
            executions.remove(x.name(), t); // else the end of the running invocation drops it
        }
    }

    @Override
    public void onInvocationStart(InvocationStart start) {
        Traced t = traced(start.execution());
        SpanContext span = new DerivedSpanContext(t.ids.traceId, randomSpanId());
        t.invocation = span;
        t.invocationLink = List.of(LinkData.create(span));
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
    }

    @Override
    public void onInvocationEnd(InvocationEnd end) {
        Traced t = traced(end.start().execution());
        SpanContext span = t.invocation;
        t.invocation = null;
        t.invocationLink = List.of();
        if (t.ended) {
            executions.remove(end.start().execution().name(), t);
        }
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
        if (span == null) {
            return;
        }
        export(
                "Invocation",
                span,
                t.ids.workflow(),
                end.start().startedAt(),
                end.endedAt(),
                new SpanAttributes(
                        INVOCATION_KEYS,
                        end.start().execution().name(),
                        end.start().firstInvocation(),
                        end.status().name(),
                        end.suspendedOn() == null ? null : end.suspendedOn().name()),
                end.status() != InvocationStatus.FAILED,
                end.error(),
                List.of());
    }

    @Override
    public void onOperationStart(OperationStart start) {
        traced(start.execution()).began.merge(start.id(), start.startedAt(), (a, b) -> a.isBefore(b) ? a : b);
    }

    @Override
    public void onOperationEnd(OperationEnd end) {
        ExecutionRef x = end.execution();
        Traced t = traced(x);
        Instant seen = t.began.remove(end.id());
        Instant from = seen != null && seen.isBefore(end.startedAt()) ? seen : end.startedAt();
        export(
                end.name(),
                t.ids.operation(end.id()),
                end.parentId() == null ? t.ids.workflow() : t.ids.operation(end.parentId()),
                from,
                end.endedAt(),
                new SpanAttributes(
                        OPERATION_KEYS,
                        x.name(),
                        end.id(),
                        end.kind(),
                        end.name(),
                        end.status(),
                        end.subKind().name()),
                end.succeeded(),
                end.error(),
                t.invocationLink);
    }

    @Override
    public void onAttemptStart(AttemptStart start) {
        if (start.replayingChildren()) {
            return;
        }
        String before = MDC.get(SPAN_ID);
        mdcBefore.get().push(before == null ? "" : before);
        SpanContext span = attempt(traced(start.execution()), start);
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
    }

    @Override
    public void onAttemptEnd(AttemptEnd end) {
        AttemptStart s = end.start();
        if (s.replayingChildren()) {
            return; // a body run again only to rebuild its result from the journal: nothing new happened
        }
        String before = mdcBefore.get().poll();
        if (before == null || before.isEmpty()) {
            MDC.remove(TRACE_ID); // a branch's thread: nothing of this execution was there before
            MDC.remove(SPAN_ID);
        } else {
            MDC.put(SPAN_ID, before);
        }
        ExecutionRef x = s.execution();
        Traced t = traced(x);
        boolean ok = end.outcome() != AttemptOutcome.FAILED && end.outcome() != AttemptOutcome.RETRYING;
        export(
                s.name() + " attempt " + s.attempt(),
                attempt(t, s),
                t.ids.operation(s.operationId()),
                s.startedAt(),
                end.endedAt(),
                new SpanAttributes(
                        ATTEMPT_KEYS,
                        (long) s.attempt(),
                        end.outcome().name(),
                        x.name(),
                        s.operationId(),
                        s.name(),
                        s.subKind().name()),
                ok,
                end.error(),
                t.invocationLink);
    }

    /** What this process keeps of execution {@code x}: found by name, made again if the name now holds another. */
    private Traced traced(ExecutionRef x) {
        Traced t = executions.get(x.name());
        if (t != null && t.startedAt.equals(x.startedAt())) {
            return t;
        }
        return executions.compute(
                x.name(),
                (name, old) -> old != null && old.startedAt.equals(x.startedAt()) ? old : new Traced(x, sampler));
    }

    private static SpanContext attempt(Traced t, AttemptStart s) {
        return t.ids.attempt(s.operationId(), s.attempt(), s.startedAt());
    }

    private static String randomSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return HexFormat.of().toHexDigits(id);
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
