package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.StepContext;
import dev.durable.UnknownExecutionException;
import dev.durable.annotations.StepSemantics;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.FaultyStorage;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.runtime.local.journal.JournalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the disk under a running {@link LocalRuntime}: a failed write, a failed force, short writes, a disk
 * that fills up in the middle of a record. The journal poisons itself, every caller sees the original error
 * (the execution in flight, a new start, a callback completion) and nothing is retried behind their back; a reopen
 * recovers everything acknowledged, and the executions finish with the results they would have had.
 */
class JournalFaultTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final StepConfig AT_MOST_ONCE = StepConfig.builder()
            .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
            .retry(RetryPolicy.builder()
                    .maxAttempts(3)
                    .initialDelay(Duration.ZERO)
                    .build())
            .build();

    @TempDir
    Path dir;

    private final FaultyStorage disk = new FaultyStorage();
    /** Step name to the attempts its body ran, in order. */
    private final Map<String, List<Integer>> runs = new ConcurrentHashMap<>();

    private final List<String> callbackIds = new CopyOnWriteArrayList<>();
    private volatile String faultIn = "";
    private volatile Runnable fault = () -> {};

    /** {@code order}: reserve, at-most-once charge, ship; {@code approval}: waits for a callback. */
    private LocalRuntime open(JournalStorage storage) {
        LocalRuntime runtime = LocalRuntime.builder()
                .directory(dir)
                .journalOptions(FileJournalOptions.defaults().storage(storage))
                .open();
        runtime.register(
                "order",
                String.class,
                String.class,
                (order, ctx) -> ctx.step("reserve", String.class, s -> body(s, "reserve", "R"))
                        + ctx.step("charge", String.class, s -> body(s, "charge", "C"), AT_MOST_ONCE)
                        + ctx.step("ship", String.class, s -> body(s, "ship", "S")));
        runtime.register(
                "approval",
                String.class,
                String.class,
                (in, ctx) -> ctx.waitForCallback(
                        "ok", String.class, (id, s) -> callbackIds.add(id), CallbackConfig.defaults()));
        return runtime;
    }

    private String body(StepContext step, String name, String value) {
        runs.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(step.attempt());
        if (name.equals(faultIn)) {
            faultIn = "";
            fault.run();
        }
        return value;
    }

    /** Arms {@code fault} to happen in the body of step {@code step}, so that step's outcome is what fails. */
    private void whenStepRuns(String step, Runnable fault) {
        this.fault = fault;
        this.faultIn = step;
    }

    private String waitingCallback(LocalRuntime runtime) {
        runtime.start("approval", "approval-1", "x");
        assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        assertThat(callbackIds).hasSize(1);
        return callbackIds.get(0);
    }

    @Test
    void aFailedWriteFailsEveryCallerWithTheCauseAndAReopenResumesFromTheLastAcknowledgedStep() {
        IOException failure = new IOException("Input/output error");
        try (LocalRuntime runtime = open(disk)) {
            String callback = waitingCallback(runtime);
            whenStepRuns("charge", () -> disk.failNextWrite(failure));

            assertThatThrownBy(() -> runtime.start("order", "order-1", "o").result(TIMEOUT))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(failure);
            int writes = disk.writes();
            assertThatThrownBy(() -> runtime.start("order", "order-2", "o"))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(failure);
            assertThatThrownBy(() -> runtime.completeCallback(callback, "yes"))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(failure);
            assertThat(disk.writes()).as("nothing written after the failure").isEqualTo(writes);
        }

        try (LocalRuntime runtime = open(JournalStorage.DISK)) {
            assertThat(runtime.<String>execution("order-1").result(TIMEOUT)).isEqualTo("RCS");
            assertThatThrownBy(() -> runtime.execution("order-2"))
                    .as("a start that failed was never acknowledged")
                    .isInstanceOf(UnknownExecutionException.class);
            runtime.completeCallback(callbackIds.get(0), "yes");
            assertThat(runtime.<String>execution("approval-1").result(TIMEOUT)).isEqualTo("yes");
        }
        assertThat(runs)
                .containsEntry("reserve", List.of(1))
                .as("the at-most-once charge whose outcome was lost is not run again in attempt 1")
                .containsEntry("charge", List.of(1, 2))
                .containsEntry("ship", List.of(1));
    }

    @Test
    void aFailedForceIsNeverRetriedAndNothingAcknowledgedIsLost() {
        IOException failure = new IOException("Input/output error");
        try (LocalRuntime runtime = open(disk)) {
            whenStepRuns("charge", () -> disk.failNextForce(failure));

            assertThatThrownBy(() -> runtime.start("order", "order-1", "o").result(TIMEOUT))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(failure);
            int forces = disk.forces();
            assertThatThrownBy(() -> runtime.start("order", "order-2", "o"))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(failure);
            assertThat(disk.forces()).as("the failed force is not retried").isEqualTo(forces);
        }

        try (LocalRuntime runtime = open(JournalStorage.DISK)) {
            assertThat(runtime.<String>execution("order-1").result(TIMEOUT)).isEqualTo("RCS");
        }
        assertThat(runs.get("reserve")).containsExactly(1);
        // the record whose force failed may or may not have reached the disk: charge ran once, or once per attempt
        assertThat(runs.get("charge")).doesNotHaveDuplicates().startsWith(1);
        assertThat(runs.get("ship")).containsExactly(1);
    }

    @Test
    void shortWritesAreCompletedAndEveryRecordIsReadBack() {
        disk.shortWrites();
        try (LocalRuntime runtime = open(disk)) {
            assertThat(runtime.<String>start("order", "order-1", "o").result(TIMEOUT))
                    .isEqualTo("RCS");
        }
        try (LocalRuntime runtime = open(JournalStorage.DISK)) {
            assertThat(runtime.<String>execution("order-1").result(TIMEOUT)).isEqualTo("RCS");
            assertThat(runtime.describe("order-1").operations())
                    .extracting(o -> o.name() + " " + o.status())
                    .containsExactly("reserve SUCCEEDED", "charge SUCCEEDED", "ship SUCCEEDED");
        }
        assertThat(runs)
                .containsEntry("reserve", List.of(1))
                .containsEntry("charge", List.of(1))
                .containsEntry("ship", List.of(1));
    }

    @Test
    void aDiskThatFillsUpMidRecordLeavesATornTailThatReopenCutsOffKeepingACopy() throws IOException {
        IOException full = new IOException("No space left on device");
        try (LocalRuntime runtime = open(disk)) {
            whenStepRuns("ship", () -> disk.fillUpAfter(11, full));

            assertThatThrownBy(() -> runtime.start("order", "order-1", "o").result(TIMEOUT))
                    .isInstanceOf(JournalException.class)
                    .hasRootCause(full);
        }

        try (LocalRuntime runtime = open(JournalStorage.DISK)) {
            assertThat(runtime.<String>execution("order-1").result(TIMEOUT)).isEqualTo("RCS");
            assertThat(runtime.execution("order-1").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the cut-off bytes are kept")
                    .anyMatch(name -> name.contains(".torn-"));
        }
        assertThat(runs)
                .containsEntry("reserve", List.of(1))
                .containsEntry("charge", List.of(1))
                .as("the at-least-once step whose result never made it runs again, in the same attempt")
                .containsEntry("ship", List.of(1, 1));
    }
}
