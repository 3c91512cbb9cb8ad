package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Execution;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.PayloadTooLargeException;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.StepFailedException;
import dev.durable.StepInterruptedException;
import dev.durable.TypeToken;
import dev.durable.annotations.StepSemantics;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepTest {
    private final AtomicInteger reserve = new AtomicInteger();
    private final AtomicInteger charge = new AtomicInteger();

    record Order(String id, int amount) {}

    record Receipt(String order, List<String> lines, Optional<String> note, Instant at) {}

    private void registerOrders(DurableEngine engine) {
        engine.register("orders", Order.class, Receipt.class, (order, ctx) -> {
            String reservation = ctx.step("reserve", String.class, s -> "R" + reserve.incrementAndGet());
            List<String> lines = ctx.step("charge", new TypeToken<List<String>>() {}, s -> {
                charge.incrementAndGet();
                return List.of(reservation, "charged " + order.amount());
            });
            ctx.wait("cooling-off", Duration.ofHours(24));
            return new Receipt(order.id(), lines, Optional.of("thanks"), Instant.parse("2025-01-02T00:00:00Z"));
        });
    }

    @Test
    void replaySkipsCompletedStepsAcrossARestartDuringAWait() {
        try (EngineFixture f = new EngineFixture(this::registerOrders)) {
            Execution<Receipt> ex = f.engine.start("orders", "order-1", new Order("o1", 42));
            f.idle();
            assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING);
            assertThat(f.clock.nextTimer()).isEqualTo(f.clock.now().plus(Duration.ofHours(24)));

            f.restart();
            assertThat(f.engine.execution("order-1").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofHours(24));

            Receipt receipt = f.engine.<Receipt>execution("order-1").result(Duration.ofSeconds(5));
            assertThat(receipt)
                    .isEqualTo(new Receipt(
                            "o1",
                            List.of("R1", "charged 42"),
                            Optional.of("thanks"),
                            Instant.parse("2025-01-02T00:00:00Z")));
            assertThat(reserve).hasValue(1);
            assertThat(charge).hasValue(1);
        }
    }

    @Test
    void retriesWithBackoffOnTheDurableClockAndTheBodySeesItsAttempt() {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        StepConfig retry = StepConfig.builder()
                .retry(RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialDelay(Duration.ofSeconds(10))
                        .backoff(3.0)
                        .build())
                .build();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "flaky",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "call",
                        String.class,
                        s -> {
                            attempts.add(s.attempt());
                            if (s.attempt() < 3) {
                                throw new IOException("down " + s.attempt());
                            }
                            return "up after " + s.attempt();
                        },
                        retry)))) {
            Instant start = f.clock.now();
            Execution<String> ex = f.engine.start("flaky", "x", "in");
            f.idle();
            assertThat(attempts).containsExactly(1);
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(10));

            f.advance(Duration.ofSeconds(10));
            assertThat(attempts).containsExactly(1, 2);
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(40));

            f.restart().advance(Duration.ofSeconds(30));
            assertThat(ex.status()).isIn(ExecutionStatus.WAITING, ExecutionStatus.RUNNING);
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("up after 3");
            assertThat(attempts).containsExactly(1, 2, 3);
        }
    }

    @Test
    void nonRetryableExceptionsFailAtOnceAndReplayRethrowsTheOriginalType() {
        AtomicInteger runs = new AtomicInteger();
        StepConfig config = StepConfig.builder()
                .retry(RetryPolicy.builder()
                        .maxAttempts(5)
                        .noRetryOn(IllegalStateException.class)
                        .build())
                .build();
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            String caught;
            try {
                ctx.step(
                        "validate",
                        String.class,
                        s -> {
                            runs.incrementAndGet();
                            throw new IllegalStateException("bad input " + in);
                        },
                        config);
                caught = "none";
            } catch (IllegalStateException ex) {
                caught = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
            ctx.wait("pause", Duration.ofMinutes(1));
            return caught;
        }))) {
            f.engine.start("h", "e1", "x");
            f.restart().advance(Duration.ofMinutes(1));
            assertThat(f.engine.<String>execution("e1").result(Duration.ofSeconds(5)))
                    .isEqualTo("IllegalStateException: bad input x");
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void aStepThatFailsForGoodFailsTheExecutionWithTheOriginalCause() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "h",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "boom",
                        String.class,
                        s -> {
                            throw new UnsupportedOperationException("no " + in);
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build())))) {
            Execution<String> ex = f.engine.start("h", "e1", "way");
            assertThatThrownBy(() -> ex.result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasMessageContaining("UnsupportedOperationException: no way")
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
            assertThat(ex.status()).isEqualTo(ExecutionStatus.FAILED);

            f.restart();
            assertThatThrownBy(() -> f.engine.execution("e1").result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void checkedExceptionsFromAStepBodyAreWrappedWithTheOriginalAsCause() {
        try (EngineFixture f = new EngineFixture(e -> e.register("h", String.class, String.class, (in, ctx) -> {
            try {
                ctx.step(
                        "io",
                        String.class,
                        s -> {
                            throw new IOException("disk");
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build());
                return "no";
            } catch (StepFailedException ex) {
                return ex.getCause().getClass().getSimpleName() + "/"
                        + ex.error().type();
            }
        }))) {
            assertThat(f.engine.<String>start("h", "e", "x").result(Duration.ofSeconds(5)))
                    .isEqualTo("IOException/java.io.IOException");
        }
    }

    @Test
    void anAtMostOnceAttemptInterruptedByACrashIsNotRunAgainAndGoesToTheRetryStrategy() {
        List<Integer> attempts = new ArrayList<>();
        StepConfig atMostOnce = StepConfig.builder()
                .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .retry(RetryPolicy.builder()
                        .maxAttempts(2)
                        .initialDelay(Duration.ZERO)
                        .build())
                .build();
        try (EngineFixture f = new EngineFixture(e -> {})) {
            // The journal as a crash left it: attempt 1 of step 1 started, no outcome.
            f.journal.append(EventCodec.execution(
                    RecordType.EXECUTION_STARTED,
                    "pay-1",
                    ExecutionEvent.started("pay", "\"card\"", f.clock.now(), null, null)));
            f.journal.append(EventCodec.operation(
                    "pay-1",
                    "1",
                    OpEvent.of(OpType.STEP, "charge", OpStatus.STARTED, f.clock.now())
                            .attempt(1)));
            f.restart();
            f.engine.register(
                    "pay",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.step(
                            "charge",
                            String.class,
                            s -> {
                                attempts.add(s.attempt());
                                return "charged on attempt " + s.attempt();
                            },
                            atMostOnce));
            assertThat(f.engine.<String>execution("pay-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("charged on attempt 2");
            assertThat(attempts).containsExactly(2);
            assertThat(f.journal.read("pay-1"))
                    .extracting(JournalRecord::payloadText)
                    .anySatisfy(p -> assertThat(p).contains("StepInterruptedException"));
        }
    }

    @Test
    void anInterruptedAtMostOnceStepWithoutRetriesFailsWithStepInterruptedException() {
        StepConfig atMostOnce = StepConfig.builder()
                .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .retry(RetryPolicy.noRetry())
                .build();
        AtomicInteger runs = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> {})) {
            f.journal.append(EventCodec.execution(
                    RecordType.EXECUTION_STARTED,
                    "pay-1",
                    ExecutionEvent.started("pay", "\"card\"", f.clock.now(), null, null)));
            f.journal.append(EventCodec.operation(
                    "pay-1",
                    "1",
                    OpEvent.of(OpType.STEP, "charge", OpStatus.STARTED, f.clock.now())
                            .attempt(1)));
            f.restart();
            f.engine.register(
                    "pay",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.step("charge", String.class, s -> "run " + runs.incrementAndGet(), atMostOnce));
            assertThatThrownBy(() -> f.engine.execution("pay-1").result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasCauseInstanceOf(StepInterruptedException.class)
                    .hasMessageContaining("attempt 1 of at-most-once step operation 1 'charge'");
            assertThat(runs).hasValue(0);
        }
    }

    @Test
    void atMostOnceJournalsTheStartBeforeTheBodyRuns() {
        List<String> seenInJournal = new ArrayList<>();
        StepConfig atMostOnce = StepConfig.builder()
                .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .build();
        try (EngineFixture f = new EngineFixture(e -> {})) {
            f.engine.register(
                    "pay",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.step(
                            "charge",
                            String.class,
                            s -> {
                                f.journal.read("pay-1").forEach(r -> seenInJournal.add(r.payloadText()));
                                return "ok";
                            },
                            atMostOnce));
            f.engine.start("pay", "pay-1", "x").result(Duration.ofSeconds(5));
            assertThat(seenInJournal)
                    .last()
                    .asString()
                    .contains("\"status\":\"STARTED\"")
                    .contains("\"attempt\":1");
        }
    }

    @Test
    void aResultOverThePayloadLimitFailsTheStepWithAClearError() {
        try (EngineFixture f = new EngineFixture(
                e -> e.register(
                        "big",
                        String.class,
                        String.class,
                        (in, ctx) -> ctx.step("load", String.class, s -> "x".repeat(2000))),
                1024)) {
            assertThatThrownBy(() -> f.engine.start("big", "b", "in").result(Duration.ofSeconds(5)))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasCauseInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("2002 bytes")
                    .hasMessageContaining("limit of 1024 bytes");
            assertThatThrownBy(() -> f.engine.start("big", "b2", "y".repeat(5000)))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("the input of execution 'b2'");
            assertThat(f.engine.list()).extracting(ExecutionInfo::name).containsExactly("b");
        }
    }
}
