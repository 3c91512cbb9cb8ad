package dev.durable.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.Execution;
import dev.durable.ExecutionFailedException;
import dev.durable.ManualClock;
import dev.durable.ParallelConfig;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spans of executions: one tree per execution, whatever suspended, failed or restarted in between. */
class DurableTracingTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final ManualClock clock = new ManualClock();
    private LocalRuntime runtime;

    private LocalRuntime open(LocalRuntime.Builder b) {
        runtime = b.clock(clock)
                .threads(4)
                .plugin(DurableTracing.create(exporter))
                .open();
        return runtime;
    }

    private LocalRuntime memory() {
        return open(LocalRuntime.builder().durability(Durability.MEMORY));
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private void settle() {
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private void advance(Duration d) {
        settle();
        clock.advance(d);
        settle();
    }

    private List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    private List<String> names() {
        return spans().stream().map(SpanData::getName).sorted().collect(Collectors.toList());
    }

    private SpanData span(String name) {
        List<SpanData> found =
                spans().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
        assertThat(found).as("spans named %s", name).hasSize(1);
        return found.get(0);
    }

    private static String attr(SpanData s, String key) {
        Object v = s.getAttributes().get(AttributeKey.stringKey(key));
        return v == null ? null : v.toString();
    }

    /** One trace, one root (Workflow), every parent emitted, and every parent's time holding its children's. */
    private static void assertOneTree(List<SpanData> spans) {
        assertThat(spans.stream().map(SpanData::getTraceId).distinct()).hasSize(1);
        List<SpanData> roots =
                spans.stream().filter(s -> !s.getParentSpanContext().isValid()).collect(Collectors.toList());
        assertThat(roots).extracting(SpanData::getName).containsExactly("Workflow");
        Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
        for (SpanData s : spans) {
            if (s.getParentSpanContext().isValid()) {
                SpanData parent = byId.get(s.getParentSpanId());
                assertThat(parent).as("the parent of %s", s.getName()).isNotNull();
                assertThat(parent.getStartEpochNanos())
                        .as("%s starts within %s", s.getName(), parent.getName())
                        .isLessThanOrEqualTo(s.getStartEpochNanos());
                assertThat(parent.getEndEpochNanos())
                        .as("%s ends within %s", s.getName(), parent.getName())
                        .isGreaterThanOrEqualTo(s.getEndEpochNanos());
            }
        }
    }

    @Test
    void aSuccessIsAWorkflowWithItsInvocationOperationsAndAttempts() {
        memory().<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("greet", String.class, s -> "hi " + in));
        Execution<String> ex = runtime.start("fn", "x", "bob");
        assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("hi bob");
        settle();
        assertThat(names()).containsExactly("Invocation", "Workflow", "greet", "greet attempt 1");
        assertOneTree(spans());
        SpanData workflow = span("Workflow");
        assertThat(attr(workflow, "durable.execution.name")).isEqualTo("x");
        assertThat(attr(workflow, "durable.execution.status")).isEqualTo("SUCCEEDED");
        assertThat(workflow.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(workflow.getTraceId()).isEqualTo(DurableTracing.traceId("x", clock.now()));
        SpanData step = span("greet");
        assertThat(attr(step, "durable.operation.id")).isEqualTo("1");
        assertThat(attr(step, "durable.operation.kind")).isEqualTo("STEP");
        assertThat(attr(step, "durable.operation.sub_kind")).isEqualTo("STEP");
        assertThat(attr(step, "durable.operation.status")).isEqualTo("SUCCEEDED");
        assertThat(step.getLinks())
                .extracting(l -> l.getSpanContext().getSpanId())
                .containsExactly(span("Invocation").getSpanId());
        assertThat(span("Invocation").getAttributes().get(AttributeKey.booleanKey("durable.invocation.first")))
                .isTrue();
        assertThat(span("greet attempt 1").getAttributes().get(AttributeKey.longKey("durable.attempt.number")))
                .isEqualTo(1L);
    }

    @Test
    void userCodeLogsWithTheTraceAndSpanOfItsAttemptInTheMdc() {
        AtomicReference<String> seen = new AtomicReference<>();
        memory().<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("greet", String.class, s -> {
                            seen.set(org.slf4j.MDC.get("trace_id") + " " + org.slf4j.MDC.get("span_id"));
                            return "hi";
                        }));
        runtime.start("fn", "x", "in").result(Duration.ofSeconds(5));
        settle();
        SpanData attempt = span("greet attempt 1");
        assertThat(seen.get()).isEqualTo(attempt.getTraceId() + " " + attempt.getSpanId());
    }

    @Test
    void aResumeAfterAWaitAddsAnInvocationAndReplaysNothing() {
        memory().<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("a", String.class, s -> "a");
            ctx.wait("pause", Duration.ofMinutes(5));
            return a + ctx.step("b", String.class, s -> "b");
        });
        runtime.start("fn", "x", "in");
        advance(Duration.ofMinutes(5));
        assertThat(names())
                .containsExactly(
                        "Invocation", "Invocation", "Workflow", "a", "a attempt 1", "b", "b attempt 1", "pause");
        assertOneTree(spans());
        assertThat(span("pause").getEndEpochNanos() - span("pause").getStartEpochNanos())
                .isEqualTo(Duration.ofMinutes(5).toNanos());
        assertThat(spans().stream()
                        .filter(s -> s.getName().equals("Invocation"))
                        .map(s -> attr(s, "durable.invocation.status")))
                .containsExactlyInAnyOrder("PENDING", "SUCCEEDED");
    }

    @Test
    void retriesAreAttemptsUnderOneOperationAndFailedAttemptsRecordTheException() {
        AtomicInteger runs = new AtomicInteger();
        memory().<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("flaky", String.class, s -> {
                            if (runs.incrementAndGet() < 3) {
                                throw new IllegalStateException("down " + runs.get());
                            }
                            return "ok";
                        }));
        runtime.start("fn", "x", "in");
        advance(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(2));
        assertThat(names())
                .containsExactly(
                        "Invocation",
                        "Invocation",
                        "Invocation",
                        "Workflow",
                        "flaky",
                        "flaky attempt 1",
                        "flaky attempt 2",
                        "flaky attempt 3");
        assertOneTree(spans());
        SpanData first = span("flaky attempt 1");
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(first, "durable.attempt.outcome")).isEqualTo("RETRYING");
        assertThat(first.getEvents()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("exception");
            assertThat(e.getAttributes().get(AttributeKey.stringKey("exception.message")))
                    .isEqualTo("down 1");
        });
        assertThat(span("flaky attempt 3").getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(span("flaky").getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
    }

    @Test
    void aTerminalFailureMarksTheOperationInvocationAndWorkflowAsErrors() {
        memory().<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step(
                                "doomed",
                                String.class,
                                s -> {
                                    throw new IllegalArgumentException("no");
                                },
                                dev.durable.StepConfig.builder()
                                        .retry(dev.durable.RetryPolicy.noRetry())
                                        .build()));
        Execution<String> ex = runtime.start("fn", "x", "in");
        assertThatThrownBy(() -> ex.result(Duration.ofSeconds(5))).isInstanceOf(ExecutionFailedException.class);
        settle();
        assertOneTree(spans());
        for (String name : List.of("doomed", "doomed attempt 1", "Invocation", "Workflow")) {
            assertThat(span(name).getStatus().getStatusCode()).as(name).isEqualTo(StatusCode.ERROR);
        }
        assertThat(attr(span("Workflow"), "durable.execution.status")).isEqualTo("FAILED");
        assertThat(attr(span("Invocation"), "durable.invocation.status")).isEqualTo("FAILED");
    }

    @Test
    void aHandledFailureIsAnErrorOperationInASuccessfulWorkflow() {
        memory().<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            try {
                return ctx.step(
                        "doomed",
                        String.class,
                        s -> {
                            throw new IllegalArgumentException("no");
                        },
                        dev.durable.StepConfig.builder()
                                .retry(dev.durable.RetryPolicy.noRetry())
                                .build());
            } catch (IllegalArgumentException e) {
                return "handled";
            }
        });
        assertThat(runtime.<String>start("fn", "x", "in").result(Duration.ofSeconds(5)))
                .isEqualTo("handled");
        settle();
        assertOneTree(spans());
        assertThat(span("doomed").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span("Workflow").getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
    }

    @Test
    void childContextsParallelAndMapNestTheirOperations() {
        memory().<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String c = ctx.runInChildContext("ctx", String.class, ch -> ch.step("inner", String.class, s -> "c"));
            int p = ctx.parallel(
                            "par",
                            Integer.class,
                            List.of(b -> b.step("p1", Integer.class, s -> 1)),
                            ParallelConfig.defaults())
                    .results()
                    .get(0);
            List<Integer> m = ctx.map(
                            "items",
                            List.of(1, 2),
                            Integer.class,
                            (item, i, b) -> b.step("double", Integer.class, s -> item * 2),
                            ParallelConfig.defaults())
                    .results();
            return c + p + m;
        });
        assertThat(runtime.<String>start("fn", "x", "in").result(Duration.ofSeconds(5)))
                .isEqualTo("c1[2, 4]");
        settle();
        assertOneTree(spans());
        assertThat(span("inner").getParentSpanId()).isEqualTo(span("ctx").getSpanId());
        SpanData branch = spans().stream()
                .filter(s -> "2/1".equals(attr(s, "durable.operation.id"))
                        && s.getName().equals("branch-0"))
                .findFirst()
                .orElseThrow();
        assertThat(span("p1").getParentSpanId()).isEqualTo(branch.getSpanId());
        assertThat(branch.getParentSpanId()).isEqualTo(span("par").getSpanId());
        assertThat(attr(branch, "durable.operation.sub_kind")).isEqualTo("PARALLEL_BRANCH");
        List<SpanData> items = spans().stream()
                .filter(s -> "MAP_ITEM".equals(attr(s, "durable.operation.sub_kind"))
                        && "BRANCH".equals(attr(s, "durable.operation.kind")))
                .collect(Collectors.toList());
        assertThat(items)
                .hasSize(2)
                .allSatisfy(s ->
                        assertThat(s.getParentSpanId()).isEqualTo(span("items").getSpanId()));
        assertThat(names()).contains("ctx attempt 1", "items", "par");
    }

    @Test
    void waitForConditionIsOneOperationWithAPollPerAttempt() {
        memory().<Integer, Integer>register(
                        "fn",
                        Integer.class,
                        Integer.class,
                        (in, ctx) -> ctx.waitForCondition(
                                "count",
                                Integer.class,
                                (state, c) -> state + 1,
                                WaitForConditionConfig.of(
                                        0,
                                        WaitStrategy.<Integer>until(s -> s >= 2)
                                                .initialDelay(Duration.ofSeconds(1))
                                                .backoff(1.0))));
        runtime.start("fn", "x", 0);
        advance(Duration.ofSeconds(1));
        assertThat(names())
                .containsExactly("Invocation", "Invocation", "Workflow", "count", "count attempt 1", "count attempt 2");
        assertOneTree(spans());
        assertThat(attr(span("count attempt 1"), "durable.attempt.outcome")).isEqualTo("POLLING");
        assertThat(attr(span("count"), "durable.operation.sub_kind")).isEqualTo("WAIT_FOR_CONDITION");
    }

    @Test
    void waitForCallbackEndsWhenTheCallbackIsCompleted() {
        AtomicReference<String> id = new AtomicReference<>();
        memory().<String, String>register(
                        "fn",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.waitForCallback(
                                "approval", String.class, (cb, s) -> id.set(cb), CallbackConfig.defaults()));
        Execution<String> ex = runtime.start("fn", "x", "in");
        settle();
        runtime.completeCallback(id.get(), "yes");
        assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("yes");
        settle();
        assertOneTree(spans());
        assertThat(attr(span("approval"), "durable.operation.sub_kind")).isEqualTo("WAIT_FOR_CALLBACK");
        assertThat(span("approval").getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(names()).contains("approval.submit", "approval.submit attempt 1");
    }

    @Test
    void aCallbackTimeoutIsAnErrorOperation() {
        memory().<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            try {
                return ctx.waitForCallback(
                        "approval", String.class, (cb, s) -> {}, CallbackConfig.timeout(Duration.ofMinutes(1)));
            } catch (dev.durable.CallbackTimeoutException e) {
                return "timed out";
            }
        });
        Execution<String> ex = runtime.start("fn", "x", "in");
        advance(Duration.ofMinutes(1));
        assertThat(ex.result(Duration.ofSeconds(5))).isEqualTo("timed out");
        settle();
        assertOneTree(spans());
        SpanData approval = span("approval");
        assertThat(approval.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(approval.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(dev.durable.CallbackTimeoutException.class.getName());
    }

    @Test
    void anInvokedExecutionIsATraceOfItsOwnLinkedFromTheInvokeSpan() {
        memory().<String, String>register(
                        "child",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("work", String.class, s -> in + "!"));
        runtime.<String, String>register(
                "parent", String.class, String.class, (in, ctx) -> ctx.invoke("call", "child", in, String.class));
        assertThat(runtime.<String>start("parent", "p", "in").result(Duration.ofSeconds(5)))
                .isEqualTo("in!");
        settle();
        Map<String, List<SpanData>> byTrace = spans().stream().collect(Collectors.groupingBy(SpanData::getTraceId));
        assertThat(byTrace).hasSize(2);
        byTrace.values().forEach(DurableTracingTest::assertOneTree);
        SpanData call = span("call");
        SpanData childWorkflow = spans().stream()
                .filter(s -> s.getName().equals("Workflow") && "p/1".equals(attr(s, "durable.execution.name")))
                .findFirst()
                .orElseThrow();
        assertThat(childWorkflow.getLinks())
                .extracting(l -> l.getSpanContext().getSpanId())
                .containsExactly(call.getSpanId());
        assertThat(childWorkflow.getLinks().get(0).getSpanContext().getTraceId())
                .isEqualTo(call.getTraceId());
    }

    @Test
    void aRestartInTheMiddleKeepsOneTrace(@TempDir Path dir) {
        open(LocalRuntime.builder().directory(dir));
        registerTwoSteps();
        runtime.start("fn", "x", "in");
        settle();
        String before = span("a").getTraceId();
        runtime.close();
        open(LocalRuntime.builder().directory(dir));
        registerTwoSteps();
        advance(Duration.ofMinutes(5));
        assertThat(runtime.execution("x").status()).isEqualTo(dev.durable.ExecutionStatus.SUCCEEDED);
        assertThat(span("b").getTraceId()).isEqualTo(before);
        assertThat(span("Workflow").getTraceId()).isEqualTo(before);
        assertOneTree(spans());
    }

    @Test
    void aSamplerTracesTheExecutionsItSamplesWholeAndNothingOfTheOthersAcrossARestart(@TempDir Path dir) {
        Sampler half = Sampler.traceIdRatioBased(0.5);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("x" + i);
        }
        LocalRuntime.Builder b =
                LocalRuntime.builder().directory(dir).clock(clock).threads(4);
        runtime = b.plugin(DurableTracing.create(exporter, Resource.getDefault(), half))
                .open();
        registerTwoSteps();
        names.forEach(n -> runtime.start("fn", n, "in"));
        settle();
        runtime.close();
        runtime = LocalRuntime.builder()
                .directory(dir)
                .clock(clock)
                .threads(4)
                .plugin(DurableTracing.create(exporter, Resource.getDefault(), half))
                .open();
        registerTwoSteps();
        advance(Duration.ofMinutes(5));
        List<SpanData> spans = spans();
        java.util.Set<String> traced = spans.stream()
                .filter(sp -> sp.getName().equals("Workflow"))
                .map(sp -> sp.getAttributes().get(AttributeKey.stringKey("durable.execution.name")))
                .collect(Collectors.toSet());
        // about half, each decided on its trace id alike in both runtimes: a traced one is whole, the others absent
        assertThat(traced).isNotEmpty().hasSizeLessThan(names.size());
        java.util.Map<String, java.time.Instant> startedAt = runtime.list().stream()
                .collect(Collectors.toMap(dev.durable.ExecutionInfo::name, dev.durable.ExecutionInfo::startedAt));
        for (String name : names) {
            java.time.Instant started = startedAt.get(name);
            String trace = DurableTracing.traceId(name, started);
            boolean sampled = half.shouldSample(
                                    io.opentelemetry.context.Context.root(),
                                    trace,
                                    "Workflow",
                                    io.opentelemetry.api.trace.SpanKind.INTERNAL,
                                    io.opentelemetry.api.common.Attributes.empty(),
                                    List.of())
                            .getDecision()
                    == io.opentelemetry.sdk.trace.samplers.SamplingDecision.RECORD_AND_SAMPLE;
            List<String> of = spans.stream()
                    .filter(sp -> sp.getTraceId().equals(trace))
                    .map(SpanData::getName)
                    .sorted()
                    .toList();
            assertThat(of)
                    .as(name)
                    .isEqualTo(
                            sampled
                                    ? List.of(
                                            "Invocation",
                                            "Invocation",
                                            "Workflow",
                                            "a",
                                            "a attempt 1",
                                            "b",
                                            "b attempt 1",
                                            "pause")
                                    : List.of());
            assertThat(traced.contains(name)).isEqualTo(sampled);
        }
    }

    private void registerTwoSteps() {
        runtime.<String, String>register("fn", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("a", String.class, s -> "a");
            ctx.wait("pause", Duration.ofMinutes(5));
            return a + ctx.step("b", String.class, s -> "b");
        });
    }
}
