package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackTimeoutException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

@DurableTest
class DurableTestRuntimeTest {
    private static final Instant START = DurableTestRuntime.DEFAULT_START;

    record Decision(boolean approved, String by) {}

    private final AtomicInteger shipments = new AtomicInteger();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    /** Waits a day, retries a flaky step twice, polls a job until it is done, then ships. */
    private void registerShipping(DurableTestRuntime rt) {
        rt.register("ship", String.class, String.class, (order, ctx) -> {
            ctx.wait("cooling-off", Duration.ofDays(1));
            String label = ctx.step(
                    "label",
                    String.class,
                    s -> {
                        if (flakyCalls.incrementAndGet() < 3) {
                            throw new IllegalStateException("printer offline");
                        }
                        return "label-" + order;
                    },
                    StepConfig.builder()
                            .retry(RetryPolicy.builder()
                                    .maxAttempts(5)
                                    .initialDelay(Duration.ofMinutes(1))
                                    .backoff(2.0)
                                    .maxDelay(Duration.ofHours(1))
                                    .build())
                            .build());
            Integer polls = ctx.waitForCondition(
                    "truck",
                    Integer.class,
                    (n, s) -> n + 1,
                    WaitForConditionConfig.of(
                            0,
                            WaitStrategy.<Integer>until(n -> n >= 3)
                                    .initialDelay(Duration.ofMinutes(10))
                                    .backoff(1.0)
                                    .maxDelay(Duration.ofHours(1))));
            Instant at = ctx.now();
            return ctx.step("ship", String.class, s -> {
                shipments.incrementAndGet();
                return label + " shipped after " + polls + " polls at " + at;
            });
        });
    }

    @Test
    void runCompletesWaitsRetriesAndPollsBySkippingTime(DurableTestRuntime rt) {
        registerShipping(rt);
        TestExecution<String> ex = rt.run(rt.start("ship", "o-1", "A"));

        // 1 day wait, retries after 1 and 2 minutes, polls after 10 and 10 more minutes
        Instant end = START.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(3)).plus(Duration.ofMinutes(20));
        assertThat(ex.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ex.result()).isEqualTo("label-A shipped after 3 polls at " + end);
        assertThat(rt.now()).isEqualTo(end);
        assertThat(shipments).hasValue(1);
    }

    @Test
    void operationsCanBeLookedUpByNameIdAndIndex(DurableTestRuntime rt) {
        registerShipping(rt);
        TestExecution<String> ex = rt.run(rt.start("ship", "o-1", "A"));

        assertThat(ex.operation("cooling-off").waitDuration()).isEqualTo(Duration.ofDays(1));
        assertThat(ex.operation("label").attempts()).isEqualTo(3);
        assertThat(ex.operation("label").result(String.class)).isEqualTo("label-A");
        assertThat(ex.operation("truck").result(Integer.class)).isEqualTo(3);
        assertThat(ex.operation("truck").attempts()).isEqualTo(3);
        assertThat(ex.operation("2").name()).isEqualTo("label");
        assertThat(ex.operation(0).type()).isEqualTo("WAIT");
        assertThat(ex.operations())
                .extracting(TestOperation::name)
                .containsExactly("cooling-off", "label", "truck", "now", "ship");
        assertThatThrownBy(() -> ex.operation("nope"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("has no operation with id or name 'nope'")
                .hasMessageContaining("1 WAIT 'cooling-off' SUCCEEDED");
        assertThatThrownBy(() -> ex.operation(9)).hasMessageContaining("has 5 operations, so none at index 9");
    }

    @Test
    void advanceMovesTimeStepByStepAndARetryDelayIsVisibleWhileItWaits(DurableTestRuntime rt) {
        registerShipping(rt);
        TestExecution<String> ex = rt.start("ship", "o-1", "A");
        assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(ex.operation("cooling-off").status()).isEqualTo("STARTED");

        rt.advance(Duration.ofDays(1));
        TestOperation label = ex.operation("label");
        assertThat(label.status()).isEqualTo("RETRY");
        assertThat(label.waitDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(label.error().summary()).isEqualTo("java.lang.IllegalStateException: printer offline");
        assertThatThrownBy(ex::result)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("execution 'o-1' has not ended: it is WAITING at operation 2 STEP 'label' RETRY")
                .hasMessageContaining("Call run()");
    }

    private final AtomicInteger approvalsSent = new AtomicInteger();

    private void registerApproval(DurableTestRuntime rt, CallbackConfig config) {
        rt.register("approve", String.class, String.class, (order, ctx) -> {
            ctx.wait("settle", Duration.ofHours(1));
            try {
                Decision d = ctx.waitForCallback(
                        "manager", Decision.class, (id, s) -> approvalsSent.incrementAndGet(), config);
                ctx.wait("grace", Duration.ofMinutes(5));
                return (d.approved() ? "approved by " : "rejected by ") + d.by();
            } catch (CallbackTimeoutException e) {
                return "timed out";
            } catch (CallbackFailedException e) {
                return "failed: " + e.error().summary();
            }
        });
    }

    @Test
    void runStopsAtACallbackAndTheTestCompletesItByOperationName(DurableTestRuntime rt) {
        registerApproval(rt, CallbackConfig.timeout(Duration.ofDays(7)));
        TestExecution<String> ex = rt.run(rt.start("approve", "o-1", "A"));
        assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(rt.now()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(ex.callbackId("manager")).matches("[0-9a-f]{32}");
        assertThat(ex.operation("manager").waitDuration()).isEqualTo(Duration.ofDays(7));

        ex.completeCallback("manager", new Decision(true, "ann"));
        assertThat(ex.run().result()).isEqualTo("approved by ann");
        assertThat(approvalsSent).hasValue(1);
        assertThatThrownBy(() -> ex.completeCallback("manager", new Decision(false, "bob")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("its callback 'manager' is no longer pending");
    }

    @Test
    void callbacksCanBeFailedHeartbeatAndTimedOut(DurableTestRuntime rt) {
        registerApproval(rt, CallbackConfig.timeout(Duration.ofDays(7)).withHeartbeatTimeout(Duration.ofHours(2)));
        TestExecution<String> failed = rt.run(rt.start("approve", "o-1", "A"));
        failed.failCallback("manager", "Rejected", "budget frozen");
        assertThat(failed.run().result()).isEqualTo("failed: Rejected: budget frozen");

        TestExecution<String> kept = rt.run(rt.start("approve", "o-2", "B"));
        rt.advance(Duration.ofMinutes(90));
        kept.heartbeatCallback("manager");
        rt.advance(Duration.ofMinutes(90));
        assertThat(kept.status()).isEqualTo(ExecutionStatus.WAITING);
        rt.advance(Duration.ofMinutes(30));
        assertThat(kept.result()).isEqualTo("timed out");
    }

    @Test
    void completingACallbackThatIsNotThereNamesTheCallbacksThereAre(DurableTestRuntime rt) {
        registerApproval(rt, CallbackConfig.defaults());
        TestExecution<String> ex = rt.run(rt.start("approve", "o-1", "A"));
        assertThatThrownBy(() -> ex.completeCallback("boss", new Decision(true, "x")))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("has no callback named 'boss' (callbacks: [2 CALLBACK 'manager' STARTED])");
    }

    @Test
    void restartResumesFromTheJournalWithTheSameFunctionInstances(DurableTestRuntime rt) {
        registerApproval(rt, CallbackConfig.defaults());
        TestExecution<String> ex = rt.run(rt.start("approve", "o-1", "A"));
        rt.restart();
        assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
        ex.completeCallback("manager", new Decision(false, "bob"));
        rt.restart();
        assertThat(ex.run().result()).isEqualTo("rejected by bob");
        assertThat(approvalsSent).hasValue(1);
    }

    @Test
    void aFileJournalSurvivesRestarts(@TempDir Path dir) throws Exception {
        try (DurableTestRuntime rt =
                DurableTestRuntime.builder().fileJournal(dir).open()) {
            registerApproval(rt, CallbackConfig.defaults());
            TestExecution<String> ex = rt.run(rt.start("approve", "o-1", "A"));
            rt.restart();
            ex.completeCallback("manager", new Decision(true, "ann"));
            rt.restart();
            assertThat(ex.run().result()).isEqualTo("approved by ann");
            assertThat(rt.runtime().directory()).isEqualTo(dir);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isNotEmpty();
        }
    }

    @Test
    void failuresAreInspectable(DurableTestRuntime rt) {
        rt.register(
                "broken",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "boom",
                        String.class,
                        s -> {
                            throw new IllegalArgumentException("bad input " + in);
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build()));
        TestExecution<String> ex = rt.run(rt.start("broken", "b-1", "x"));
        assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(ex.error().summary()).isEqualTo("java.lang.IllegalArgumentException: bad input x");
        assertThat(ex.operation("boom").status()).isEqualTo("FAILED");
        assertThatThrownBy(ex::result)
                .isInstanceOf(ExecutionFailedException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ex.operation("boom").result(String.class))
                .hasMessageContaining("operation 1 STEP 'boom' of execution 'b-1' has no result: it is FAILED");
    }

    @Test
    void runDrivesInvokedChildExecutionsToo(DurableTestRuntime rt) {
        rt.register("child", Integer.class, Integer.class, (n, ctx) -> {
            ctx.wait("nap", Duration.ofHours(n));
            return ctx.step("double", Integer.class, s -> n * 2);
        });
        rt.register(
                "parent",
                Integer.class,
                String.class,
                (n, ctx) -> "got " + ctx.invoke("call", "child", n, Integer.class) + " and "
                        + ctx.invoke("again", "child", n + 1, Integer.class));
        TestExecution<String> ex = rt.run(rt.start("parent", "p-1", 2));
        assertThat(ex.result()).isEqualTo("got 4 and 6");
        assertThat(rt.now()).isEqualTo(START.plus(Duration.ofHours(5)));
        assertThat(ex.operation("call").childExecution()).isEqualTo("p-1/1");
        rt.assertReplaysDeterministically("p-1");
    }

    @Test
    void genericResultsDecodeThroughTypeTokens(DurableTestRuntime rt) {
        rt.register(
                "list",
                String.class,
                String.class,
                (in, ctx) -> String.join(
                        ",", ctx.step("split", new TypeToken<List<String>>() {}, s -> List.of(in.split(" ")))));
        TestExecution<String> ex = rt.run(rt.start("list", "l-1", "a b c"));
        assertThat(ex.operation("split").result(new TypeToken<List<String>>() {}))
                .containsExactly("a", "b", "c");
        assertThat(ex.result()).isEqualTo("a,b,c");
    }

    @Test
    @DurableTest(start = "2030-06-01T12:00:00Z")
    void theStartTimeIsConfigurable(DurableTestRuntime rt) {
        assertThat(rt.now()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    }
}
