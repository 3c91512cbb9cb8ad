package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Durable;
import dev.durable.Execution;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.OperationInfo;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.UnknownExecutionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class ReplayTest {
    @Test
    void changedCodeThatReordersStepsBlocksWithNonDeterministicExecutionException() {
        AtomicReference<String> first = new AtomicReference<>("a");
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            ctx.step(first.get(), String.class, s -> "x");
            ctx.wait("w", Duration.ofMinutes(1));
            return "done";
        }))) {
            f.engine.start("h", "e1", "in");
            f.idle();
            first.set("b");
            f.restart().advance(Duration.ofMinutes(1));
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.engine.describe("e1").error().type())
                    .isEqualTo(NonDeterministicExecutionException.class.getName());
            assertThat(f.engine.describe("e1").info().blockedReason())
                    .contains("execution 'e1' at operation 1")
                    .contains("the journal holds STEP 'a'")
                    .contains("the code now performs STEP 'b'")
                    .contains("ReplayTest");
        }
    }

    @Test
    void changingTheOperationTypeIsAlsoDetected() {
        AtomicReference<Boolean> wait = new AtomicReference<>(false);
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            if (wait.get()) {
                ctx.wait("a", Duration.ofSeconds(1));
            } else {
                ctx.step("a", String.class, s -> "x");
            }
            ctx.wait("w", Duration.ofMinutes(1));
            return "done";
        }))) {
            f.engine.start("h", "e1", "in");
            f.idle();
            wait.set(true);
            f.restart().advance(Duration.ofMinutes(1));
            assertThat(f.engine.describe("e1").info().blockedReason())
                    .contains("the journal holds STEP 'a' but the code now performs WAIT 'a'");
        }
    }

    @Test
    void addingAStepAfterTheLastReachedOperationIsAllowed() {
        AtomicReference<Boolean> extra = new AtomicReference<>(false);
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("a", String.class, s -> "a");
            ctx.wait("w", Duration.ofMinutes(1));
            return extra.get() ? a + ctx.step("new", String.class, s -> "+new") : a;
        }))) {
            f.engine.start("h", "e1", "in");
            f.idle();
            extra.set(true);
            f.restart().advance(Duration.ofMinutes(1));
            assertThat(f.engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("a+new");
        }
    }

    @Test
    void startIsIdempotentByNameAndRejectsADifferentInput() {
        AtomicInteger runs = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> {
            e.register(
                    "h",
                    Map.class,
                    String.class,
                    (in, ctx) -> ctx.step("s", String.class, s -> "r" + runs.incrementAndGet()));
            e.register("other", String.class, String.class, (in, ctx) -> "other");
        })) {
            Execution<String> a = f.engine.start("h", "e1", Map.of("x", 1, "y", 2));
            assertThat(a.result(Duration.ofSeconds(5))).isEqualTo("r1");
            Execution<String> b = f.engine.start("h", "e1", Map.of("y", 2, "x", 1));
            assertThat(b.result(Duration.ofSeconds(5))).isEqualTo("r1");
            assertThat(runs).hasValue(1);
            assertThatThrownBy(() -> f.engine.start("h", "e1", Map.of("x", 2)))
                    .isInstanceOf(ExecutionConflictException.class)
                    .hasMessageContaining("execution 'e1' already exists with a different input");
            assertThatThrownBy(() -> f.engine.start("other", "e1", "x"))
                    .isInstanceOf(ExecutionConflictException.class)
                    .hasMessageContaining("already exists for function 'h'");
            assertThatThrownBy(() -> f.engine.start("missing", "e2", "x"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessageContaining("no durable function named 'missing'");
            assertThatThrownBy(() -> f.engine.execution("zzz"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessageContaining("no execution named 'zzz'");
        }
    }

    record Snapshot(Instant now, int random, UUID uuid) {}

    @Test
    void nowRandomAndUuidAreStableAcrossReplays() {
        List<Snapshot> seen = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, Snapshot.class, (in, ctx) -> {
            Snapshot s = new Snapshot(ctx.now(), ctx.random().nextInt(), ctx.uuid());
            seen.add(s);
            ctx.wait("w", Duration.ofHours(1));
            return s;
        }))) {
            Instant started = f.clock.now();
            f.engine.start("h", "e1", "in");
            f.restart().advance(Duration.ofHours(1));
            Snapshot result = f.engine.<Snapshot>execution("e1").result(Duration.ofSeconds(5));
            assertThat(seen).hasSizeGreaterThanOrEqualTo(3).allMatch(result::equals);
            assertThat(result.now()).isEqualTo(started);
            assertThat(result.uuid().version()).isEqualTo(4);
        }
    }

    @Test
    void theLoggerStaysSilentForLinesAlreadyEmittedBeforeAReplay() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Map<String, String> mdc = new ConcurrentHashMap<>();
        Logger capture = new LegacyAbstractLogger() {
            @Override
            protected String getFullyQualifiedCallerName() {
                return null;
            }

            @Override
            protected void handleNormalizedLoggingCall(
                    Level level, Marker marker, String pattern, Object[] args, Throwable t) {
                lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
                String op = org.slf4j.MDC.get("durable.operation");
                mdc.put(
                        MessageFormatter.basicArrayFormat(pattern, args),
                        org.slf4j.MDC.get("durable.execution") + "#" + op);
            }

            @Override
            public boolean isTraceEnabled() {
                return true;
            }

            @Override
            public boolean isDebugEnabled() {
                return true;
            }

            @Override
            public boolean isInfoEnabled() {
                return true;
            }

            @Override
            public boolean isWarnEnabled() {
                return true;
            }

            @Override
            public boolean isErrorEnabled() {
                return true;
            }
        };
        EngineFixture[] holder = new EngineFixture[1];
        try (EngineFixture f = new EngineFixture(e -> {})) {
            holder[0] = f;
            DurableEngine engine = DurableEngine.builder()
                    .journal(f.journal)
                    .clock(f.clock)
                    .closeJournal(false)
                    .loggers(name -> capture)
                    .build();
            engine.register("h", String.class, String.class, (in, ctx) -> {
                ctx.logger().info("reserving {}", in);
                ctx.step("reserve", String.class, s -> {
                    s.logger().info("inside step");
                    return "r";
                });
                ctx.logger().warn("waiting");
                ctx.wait("w", Duration.ofMinutes(1));
                ctx.logger().info("done");
                return "ok";
            });
            engine.start("h", "e1", "o42");
            engine.awaitIdle(Duration.ofSeconds(5));
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("ok");
            engine.close();
        }
        assertThat(lines).containsExactly("INFO reserving o42", "INFO inside step", "WARN waiting", "INFO done");
        assertThat(mdc).containsEntry("inside step", "e1#1").containsEntry("done", "e1#2");
    }

    @Test
    void durableContextIsReachableStaticallyButNotInsideSteps() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            assertThat(Durable.context()).isSameAs(ctx);
            return ctx.step("s", String.class, s -> {
                try {
                    Durable.context();
                    return "reachable";
                } catch (IllegalStateException ex) {
                    return ex.getMessage();
                }
            });
        }))) {
            assertThat(f.engine.<String>start("h", "e", "x").result(Duration.ofSeconds(5)))
                    .contains("cannot run inside a step body");
        }
        assertThatThrownBy(Durable::context).hasMessageContaining("no durable execution is running on this thread");
        assertThatThrownBy(Durable::callbackId).hasMessageContaining("no callback is being submitted");
    }

    @Test
    void cancellingAWaitingExecutionEndsIt() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            ctx.wait("long", Duration.ofDays(30));
            return "never";
        }))) {
            Execution<String> ex = f.engine.start("h", "e", "x");
            f.idle();
            assertThat(f.engine.cancel("e")).isTrue();
            assertThat(ex.status()).isEqualTo(ExecutionStatus.CANCELLED);
            f.advance(Duration.ofDays(30));
            assertThatThrownBy(() -> ex.result(Duration.ofSeconds(1))).isInstanceOf(ExecutionCancelledException.class);
            assertThat(f.engine.list(ExecutionStatus.CANCELLED)).hasSize(1);
        }
    }

    @Test
    void waitsLongerThanAYearAreRefused() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            ctx.wait("too-long", Duration.ofDays(400));
            return "never";
        }))) {
            assertThatThrownBy(() -> f.engine.start("h", "e", "x").result(Duration.ofSeconds(5)))
                    .hasMessageContaining("more than a year ahead");
        }
    }

    @Test
    void finishedExecutionsCanBeForgottenAfterRetention() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> in))) {
            f.engine.start("h", "old", "x").result(Duration.ofSeconds(5));
            f.clock.advance(Duration.ofDays(15));
            f.engine.start("h", "new", "y").result(Duration.ofSeconds(5));
            assertThat(f.engine.forgetFinished(f.clock.now().minus(Duration.ofDays(14))))
                    .isEqualTo(1);
            assertThat(f.engine.list()).extracting(ExecutionInfo::name).containsExactly("new");
            assertThat(f.journal.executionIds()).containsExactly("new");
        }
    }

    @Test
    void aFailedExecutionCanBeRetriedFromItsLastGoodOperation() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger flaky = new AtomicInteger();
        StepConfig once = StepConfig.builder().retry(RetryPolicy.noRetry()).build();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            String a = ctx.step("first", String.class, s -> "a" + first.incrementAndGet());
            String b = ctx.step(
                    "flaky",
                    String.class,
                    s -> {
                        if (flaky.incrementAndGet() == 1) {
                            throw new IllegalStateException("downstream outage");
                        }
                        return "b" + flaky.get();
                    },
                    once);
            return a + b;
        }))) {
            assertThatThrownBy(() -> f.engine.start("h", "e1", "x").result(Duration.ofSeconds(5)))
                    .hasMessageContaining("downstream outage");
            ExecutionDetails failed = f.engine.describe("e1");
            assertThat(failed.info().status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(failed.operation("flaky")).get().satisfies(op -> {
                assertThat(op.status()).isEqualTo("FAILED");
                assertThat(op.error().message()).isEqualTo("downstream outage");
            });
            assertThatThrownBy(() -> f.engine.retry("nope")).isInstanceOf(UnknownExecutionException.class);
            f.restart();
            assertThat(f.engine.<String>retry("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("a1b2");
            assertThat(first).hasValue(1);
            assertThatThrownBy(() -> f.engine.retry("e1"))
                    .hasMessageContaining("only a FAILED execution can be retried");
            f.restart();
            ExecutionDetails done = f.engine.describe("e1");
            assertThat(done.info().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(done.result()).isEqualTo("\"a1b2\"");
            assertThat(done.operations())
                    .extracting(OperationInfo::id, OperationInfo::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("1", "SUCCEEDED"),
                            org.assertj.core.groups.Tuple.tuple("2", "SUCCEEDED"));
        }
    }

    @Test
    void waitUntilAnInstantAndTheContextsViewOfItself() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            seen.add("replaying=" + ctx.isReplaying() + " in " + ctx.executionName());
            String where = ctx.step("where", String.class, s -> s.executionName() + "#" + s.operationId());
            ctx.waitUntil("deadline", Instant.parse("2025-01-03T00:00:00Z"));
            seen.add("after wait, replaying=" + ctx.isReplaying());
            return where;
        }))) {
            f.engine.start("h", "e1", "x");
            f.advance(Duration.ofDays(1));
            assertThat(f.engine.execution("e1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofDays(1));
            assertThat(f.engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("e1#1");
            // two runs: the first suspends at the wait, the second (woken at the instant) replays up to it
            assertThat(seen)
                    .containsExactly("replaying=false in e1", "replaying=true in e1", "after wait, replaying=false");
        }
    }

    @Test
    void aCancelWhileAStepRunsStaysTheExecutionsLastRecord() throws Exception {
        java.util.concurrent.CountDownLatch inBody = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            ctx.step("slow", String.class, s -> {
                inBody.countDown();
                release.await();
                return "done";
            });
            return ctx.step("after", String.class, s -> "never");
        }))) {
            f.engine.start("h", "e", "x");
            assertThat(inBody.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(f.engine.cancel("e")).isTrue();
            release.countDown();
            f.idle();
            List<dev.durable.spi.journal.JournalRecord> records = f.journal.read("e");
            assertThat(records.get(records.size() - 1).type())
                    .isEqualTo(dev.durable.spi.journal.RecordType.EXECUTION_FINISHED);
            // a runtime that never registers the function (a CLI, say) still sees it cancelled
            try (DurableEngine tool = DurableEngine.builder()
                    .journal(f.journal)
                    .clock(f.clock)
                    .closeJournal(false)
                    .build()) {
                assertThat(tool.execution("e").status()).isEqualTo(ExecutionStatus.CANCELLED);
            }
        }
    }
}
