package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Durable;
import dev.durable.DurableClock;
import dev.durable.Execution;
import dev.durable.ExecutionFailedException;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.PayloadTooLargeException;
import dev.durable.RetryStrategy;
import dev.durable.StepConfig;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Values the public API hands a user: what exceptions carry, what handles and static accessors tell. */
class PublicValuesTest {

    @Test
    void recordTypesKeepTheirOnDiskCodesAndAnyOtherCodeIsNoType() {
        assertThat(List.of(RecordType.values()))
                .extracting(RecordType::code)
                .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5);
        for (RecordType t : RecordType.values()) {
            assertThat(RecordType.fromCode(t.code())).isSameAs(t);
        }
        assertThat(RecordType.fromCode((byte) 0)).isNull();
        assertThat(RecordType.fromCode((byte) 6)).isNull();
        assertThat(RecordType.fromCode((byte) 0x81))
                .as("a code with its high bit set")
                .isNull();
        assertThat(List.of(RecordType.values()))
                .filteredOn(RecordType::inHistory)
                .containsExactly(
                        RecordType.EXECUTION_STARTED,
                        RecordType.OPERATION,
                        RecordType.EXECUTION_FINISHED,
                        RecordType.EXECUTION_RETRIED);
    }

    @Test
    void aPayloadTooLargeSaysHowLargeItWasAndWhatTheLimitIs() {
        try (EngineFixture f =
                new EngineFixture(e -> e.register("echo", String.class, String.class, (in, ctx) -> in), 16)) {
            assertThatThrownBy(() -> f.engine.start("echo", "e-1", "x".repeat(20)))
                    .isInstanceOfSatisfying(PayloadTooLargeException.class, e -> {
                        assertThat(e.size()).isEqualTo(22); // the JSON string, quotes included
                        assertThat(e.limit()).isEqualTo(16);
                    });
        }
    }

    @Test
    void aFailedExecutionsResultThrowsItsJournaledErrorAndItsHandleNamesItsFunction() {
        try (EngineFixture f = new EngineFixture(e -> e.register("boom", String.class, String.class, (in, ctx) -> {
            throw new IllegalStateException("bad input " + in);
        }))) {
            Execution<String> x = f.engine.start("boom", "b-1", "q");
            assertThatThrownBy(() -> x.result(Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(ExecutionFailedException.class, e -> {
                        assertThat(e.error().type()).isEqualTo(IllegalStateException.class.getName());
                        assertThat(e.error().message()).isEqualTo("bad input q");
                    });
            assertThat(x.function()).isEqualTo("boom");
            assertThat(x).hasToString("Execution{b-1, boom, FAILED}");
        }
    }

    @Test
    void aNonDeterministicChangeNamesTheExecutionOperationBothSidesAndWhere() {
        NonDeterministicExecutionException e = new NonDeterministicExecutionException(
                "order-1", "3", "STEP 'charge'", "STEP 'refund'", "Shop.java:42");
        assertThat(e.executionName()).isEqualTo("order-1");
        assertThat(e.operationId()).isEqualTo("3");
        assertThat(e.expected()).isEqualTo("STEP 'charge'");
        assertThat(e.actual()).isEqualTo("STEP 'refund'");
        assertThat(e.location()).isEqualTo("Shop.java:42");
    }

    @Test
    void theStaticAccessorsSeeTheRunningExecutionAndNothingOutsideOne() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("who", String.class, String.class, (in, ctx) -> {
            seen.add(Durable.executionName().orElse("none"));
            seen.add(String.valueOf(Durable.currentContext().map(c -> c == ctx).orElse(false)));
            return ctx.step("inner", String.class, s -> Durable.executionName().orElse("none"));
        }))) {
            assertThat(f.engine.<String>start("who", "w-1", "x").result(Duration.ofSeconds(5)))
                    .isEqualTo("w-1");
        }
        assertThat(seen).containsExactly("w-1", "true");
        assertThat(Durable.executionName()).isEqualTo(Optional.empty());
        assertThat(Durable.currentContext()).isEmpty();
    }

    @Test
    void aStepWithTheNoRetryStrategyRunsOnceAndFails() {
        AtomicInteger attempts = new AtomicInteger();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "once",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "flaky",
                        String.class,
                        s -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("down");
                        },
                        StepConfig.builder().retry(RetryStrategy.none()).build())))) {
            Execution<String> x = f.engine.start("once", "o-1", "x");
            assertThatThrownBy(() -> x.result(Duration.ofSeconds(5))).isInstanceOf(ExecutionFailedException.class);
            assertThat(attempts).hasValue(1);
        }
    }

    @Test
    void theSystemClockTellsTheTimeAndFiresATimerThatIsDueAndNotOneThatWasCancelled() throws Exception {
        DurableClock clock = DurableClock.system();
        Instant before = Instant.now();
        Instant now = clock.now();
        assertThat(now).isBetween(before, Instant.now());
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger cancelledRuns = new AtomicInteger();
        DurableClock.Timer cancelled = clock.schedule(now.plusSeconds(3600), cancelledRuns::incrementAndGet);
        cancelled.cancel();
        clock.schedule(now, fired::countDown);
        assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRuns).hasValue(0);
    }
}
