package dev.durable.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.journal.Durability;
import dev.durable.runtime.local.testing.ChildJvm;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.OperationEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRuntimeTest {
    @TempDir
    Path dir;

    private final AtomicInteger steps = new AtomicInteger();

    private LocalRuntime open(ManualClock clock) {
        LocalRuntime rt = LocalRuntime.builder()
                .directory(dir.resolve("journal"))
                .clock(clock)
                .open();
        rt.register("greet", String.class, String.class, (name, ctx) -> {
            String g = ctx.step("compose", String.class, s -> "Hello, " + name + " #" + steps.incrementAndGet());
            ctx.wait("pause", Duration.ofHours(2));
            return g;
        });
        return rt;
    }

    @Test
    void anExecutionSurvivesARestartOfTheRuntimeAndDueTimersFireOnOpen() {
        ManualClock clock = new ManualClock();
        try (LocalRuntime rt = open(clock)) {
            rt.start("greet", "g1", "Ada");
            rt.awaitIdle(Duration.ofSeconds(10));
            assertThat(rt.execution("g1").status()).isEqualTo(ExecutionStatus.WAITING);
        }
        clock.advance(Duration.ofHours(3));
        try (LocalRuntime rt = open(clock)) {
            assertThat(rt.<String>execution("g1").result(Duration.ofSeconds(10)))
                    .isEqualTo("Hello, Ada #1");
            assertThat(steps).hasValue(1);
            assertThat(rt.list()).singleElement().satisfies(i -> {
                assertThat(i.function()).isEqualTo("greet");
                assertThat(i.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            });
        }
        try (LocalRuntime rt = open(clock)) {
            assertThat(rt.<String>execution("g1").result(Duration.ofSeconds(10)))
                    .isEqualTo("Hello, Ada #1");
            assertThat(rt.<String>start("greet", "g1", "Ada").result(Duration.ofSeconds(1)))
                    .isEqualTo("Hello, Ada #1");
        }
    }

    @Test
    void finishedExecutionsArePurgedAfterRetention() {
        ManualClock clock = new ManualClock();
        try (LocalRuntime rt = LocalRuntime.builder()
                .directory(dir)
                .clock(clock)
                .retention(Duration.ofDays(1))
                .open()) {
            rt.register("echo", String.class, String.class, (in, ctx) -> in);
            rt.start("echo", "old", "x").result(Duration.ofSeconds(5));
            clock.advance(Duration.ofDays(2));
            assertThat(rt.list()).isEmpty();
        }
    }

    @Test
    void memoryModeNeedsNoDirectory() {
        try (LocalRuntime rt = LocalRuntime.inMemory()) {
            rt.register("echo", String.class, String.class, (in, ctx) -> ctx.step("s", String.class, s -> in + "!"));
            assertThat(rt.<String>start("echo", "e", "hi").result(Duration.ofSeconds(5)))
                    .isEqualTo("hi!");
            assertThat(rt.directory()).isNull();
        }
        assertThatThrownBy(
                        () -> LocalRuntime.builder().durability(Durability.SYNC).open())
                .hasMessageContaining("a journal directory is required");
    }

    @Test
    void anAtMostOnceStepInterruptedByKillMinus9IsNotRunAgain() throws Exception {
        Path journal = dir.resolve("journal");
        Path effects = dir.resolve("effects.log");
        try (ChildJvm child =
                ChildJvm.start(CrashingWorkflow.class, journal.toString(), effects.toString(), "hang-in-charge")) {
            child.await("IN charge");
            child.kill();
        }
        assertThat(Files.readAllLines(effects)).containsExactly("reserve", "charge");
        try (LocalRuntime rt = LocalRuntime.open(journal)) {
            CrashingWorkflow.register(rt, effects, false);
            assertThat(rt.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("R-o1,interrupted,S-o1");
        }
        assertThat(Files.readAllLines(effects)).containsExactly("reserve", "charge", "ship");
    }

    @Test
    void aProcessKilledDuringAWaitResumesAfterRestartWithEachStepRunOnce() throws Exception {
        Path journal = dir.resolve("journal");
        Path effects = dir.resolve("effects.log");
        try (ChildJvm child =
                ChildJvm.start(CrashingWorkflow.class, journal.toString(), effects.toString(), "stop-at-wait")) {
            child.await("WAITING");
            child.kill();
        }
        try (LocalRuntime rt = LocalRuntime.open(journal)) {
            CrashingWorkflow.register(rt, effects, false);
            assertThat(rt.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("R-o1,P-o1,S-o1");
        }
        assertThat(Files.readAllLines(effects)).containsExactly("reserve", "charge", "ship");
    }

    @Test
    void completingACallbackAfterARestartIsHonoured() {
        ManualClock clock = new ManualClock();
        List<String> ids = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<LocalRuntime> register = rt -> rt.register(
                "approve",
                String.class,
                String.class,
                (in, ctx) -> ctx.waitForCallback("ok", String.class, (id, s) -> ids.add(id), null));
        startAndClose(register, clock);
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            rt.completeCallback(ids.get(0), "yes");
            register.accept(rt);
            assertThat(rt.<String>execution("a").result(Duration.ofSeconds(10))).isEqualTo("yes");
            assertThat(ids).hasSize(1);
        }
    }

    @Test
    void callbacksCompletedAfterARestartBeforeTheirExecutionRunsAgainEndAsTheOperationsTheCodeWrote() {
        ManualClock clock = new ManualClock();
        List<String> ids = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<LocalRuntime> register =
                rt -> rt.register("approve", String.class, String.class, (in, ctx) -> {
                    ids.add(ctx.createCallback("plain", String.class, null).id());
                    return ctx.runInChildContext(
                            "inner",
                            String.class,
                            c -> c.waitForCallback("ok", String.class, (id, s) -> ids.add(id), null));
                });
        startAndClose(register, clock);
        List<String> ends = new CopyOnWriteArrayList<>();
        try (LocalRuntime rt = LocalRuntime.builder()
                .directory(dir)
                .clock(clock)
                .plugin(recordingEnds(ends))
                .open()) {
            // before the execution runs again: read back from the journal
            rt.completeCallback(ids.get(0), "p");
            rt.completeCallback(ids.get(1), "yes");
            assertThat(ends).containsExactly("1 plain CALLBACK SUCCEEDED", "2/1 ok WAIT_FOR_CALLBACK SUCCEEDED");
        }
    }

    /** Starts execution "a" of {@code register}'s function "approve" on a runtime that is closed once it is idle. */
    private void startAndClose(java.util.function.Consumer<LocalRuntime> register, ManualClock clock) {
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            register.accept(rt);
            rt.start("approve", "a", "x");
            rt.awaitIdle(Duration.ofSeconds(10));
        }
    }

    /** A plugin that adds each operation end to {@code ends} as "id name subKind status". */
    private static DurablePlugin recordingEnds(List<String> ends) {
        return new DurablePlugin() {
            @Override
            public void onOperationEnd(OperationEnd end) {
                ends.add(end.id() + " " + end.name() + " " + end.subKind() + " " + end.status());
            }
        };
    }
}
