package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ExecutionStatus;
import dev.durable.RetryDecision;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.WaitDecision;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The delays a retry policy and a polling strategy choose, as a handler's timers would see them. */
class RetryAndWaitPolicyTest {
    private static final IOException DOWN = new IOException("down");

    private static SplittableRandom random() {
        return new SplittableRandom(7);
    }

    private static Duration delay(RetryPolicy policy, int attempt) {
        RetryDecision d = policy.decide(DOWN, attempt, random());
        assertThat(d.retry()).as("retries after attempt %d", attempt).isTrue();
        return d.delay();
    }

    // ---- retry policy -------------------------------------------------------------------------------------

    @Test
    void theDefaultPolicyRetriesTwiceAfterOneAndTwoSecondsThenFails() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.decide(DOWN, 1, random())).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(1)));
        assertThat(p.decide(DOWN, 2, random())).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(2)));
        assertThat(p.decide(DOWN, 3, random())).isEqualTo(RetryDecision.fail());
        assertThat(p.decide(DOWN, 4, random()).retry()).isFalse();
        assertThat(p.maxAttempts()).isEqualTo(3);
        assertThat(p.initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff()).isEqualTo(2.0);
        assertThat(p.maxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.jitter()).isZero();
    }

    @Test
    void aFailedDecisionMeansNoRetryAndNoDelay() {
        assertThat(RetryDecision.fail().retry()).isFalse();
        assertThat(RetryDecision.fail().delay()).isEqualTo(Duration.ZERO);
        assertThat(RetryDecision.retryAfter(Duration.ofSeconds(3)).retry()).isTrue();
    }

    @Test
    void noRetryFailsAfterTheFirstAttempt() {
        assertThat(RetryPolicy.noRetry().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.noRetry().decide(DOWN, 1, random()).retry()).isFalse();
    }

    @Test
    void delaysGrowByTheBackoffFactorFromTheInitialDelay() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(10)
                .initialDelay(Duration.ofSeconds(10))
                .backoff(3.0)
                .maxDelay(Duration.ofHours(1))
                .build();
        assertThat(delay(p, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(delay(p, 2)).isEqualTo(Duration.ofSeconds(30));
        assertThat(delay(p, 3)).isEqualTo(Duration.ofSeconds(90));
        assertThat(delay(p, 4)).isEqualTo(Duration.ofSeconds(270));
    }

    @Test
    void aBackoffOfOneKeepsTheDelayConstant() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(5)
                .initialDelay(Duration.ofMillis(250))
                .backoff(1.0)
                .build();
        assertThat(delay(p, 1)).isEqualTo(Duration.ofMillis(250));
        assertThat(delay(p, 4)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void fractionalDelaysAreRoundedToTheNearestMillisecond() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(5)
                .initialDelay(Duration.ofMillis(3))
                .backoff(1.5)
                .build();
        assertThat(delay(p, 2)).isEqualTo(Duration.ofMillis(5)); // 4.5
        assertThat(delay(p, 3)).isEqualTo(Duration.ofMillis(7)); // 6.75
        assertThat(delay(p, 4)).isEqualTo(Duration.ofMillis(10)); // 10.125
    }

    @Test
    void delaysStopGrowingAtTheMaximumDelay() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(10)
                .initialDelay(Duration.ofSeconds(10))
                .backoff(10)
                .maxDelay(Duration.ofSeconds(60))
                .build();
        assertThat(delay(p, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(delay(p, 2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(delay(p, 9)).isEqualTo(Duration.ofSeconds(60));
        RetryPolicy exact = RetryPolicy.builder()
                .maxAttempts(10)
                .initialDelay(Duration.ofSeconds(10))
                .backoff(2)
                .maxDelay(Duration.ofSeconds(20))
                .build();
        assertThat(delay(exact, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(delay(exact, 3)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aMaximumDelayBelowTheInitialDelayCapsEveryDelay() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(3)
                .initialDelay(Duration.ofSeconds(10))
                .maxDelay(Duration.ofSeconds(4))
                .build();
        assertThat(delay(p, 1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.maxDelay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void zeroDelaysRetryImmediately() {
        RetryPolicy p =
                RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build();
        assertThat(delay(p, 1)).isEqualTo(Duration.ZERO);
        assertThat(delay(p, 2)).isEqualTo(Duration.ZERO);
        RetryPolicy capped =
                RetryPolicy.builder().maxAttempts(3).maxDelay(Duration.ZERO).build();
        assertThat(delay(capped, 2)).isEqualTo(Duration.ZERO);
    }

    @Test
    void jitterTakesTheDrawnShareOffTheDelay() {
        double drawn = random().nextDouble();
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(5)
                .initialDelay(Duration.ofSeconds(10))
                .backoff(2)
                .jitter(0.5)
                .build();
        assertThat(p.jitter()).isEqualTo(0.5);
        assertThat(delay(p, 1)).isEqualTo(Duration.ofMillis(Math.round(10_000 - 10_000 * 0.5 * drawn)));
        assertThat(delay(p, 2)).isEqualTo(Duration.ofMillis(Math.round(20_000 - 20_000 * 0.5 * drawn)));
        assertThat(drawn).isBetween(0.01, 0.99); // the seed gives a draw that shows the arithmetic
    }

    @Test
    void jitteredDelaysStayWithinTheirBoundsAndAreCappedBeforeTheJitter() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(50)
                .initialDelay(Duration.ofSeconds(8))
                .backoff(2)
                .maxDelay(Duration.ofSeconds(10))
                .jitter(0.25)
                .build();
        for (long seed = 0; seed < 200; seed++) {
            Duration first = p.decide(DOWN, 1, new SplittableRandom(seed)).delay();
            Duration later = p.decide(DOWN, 5, new SplittableRandom(seed)).delay();
            assertThat(first).isBetween(Duration.ofMillis(6000), Duration.ofMillis(8000));
            assertThat(later).isBetween(Duration.ofMillis(7500), Duration.ofMillis(10_000));
        }
    }

    @Test
    void fullJitterCanShortenADelayToAlmostNothingButNeverBelowZero() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(3)
                .initialDelay(Duration.ofSeconds(1))
                .jitter(1.0)
                .build();
        long shortest = Long.MAX_VALUE;
        for (long seed = 0; seed < 500; seed++) {
            Duration d = p.decide(DOWN, 1, new SplittableRandom(seed)).delay();
            assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(1));
            shortest = Math.min(shortest, d.toMillis());
        }
        assertThat(shortest).isLessThan(100);
    }

    @Test
    void theSameRandomSourceGivesTheSameJitteredDelay() {
        RetryPolicy p = RetryPolicy.builder()
                .initialDelay(Duration.ofSeconds(30))
                .jitter(0.9)
                .build();
        assertThat(p.decide(DOWN, 1, new SplittableRandom(99))).isEqualTo(p.decide(DOWN, 1, new SplittableRandom(99)));
    }

    @Test
    void withoutJitterTheDelayIsExactWhateverTheRandomSource() {
        RetryPolicy p =
                RetryPolicy.builder().initialDelay(Duration.ofSeconds(30)).build();
        assertThat(p.decide(DOWN, 1, new SplittableRandom(1)).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.decide(DOWN, 1, new SplittableRandom(2)).delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theLastAllowedAttemptIsNotRetried() {
        RetryPolicy p = RetryPolicy.builder().maxAttempts(4).build();
        assertThat(p.decide(DOWN, 3, random()).retry()).isTrue();
        assertThat(p.decide(DOWN, 4, random()).retry()).isFalse();
        assertThat(p.decide(DOWN, 4, random()).delay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void noRetryOnWinsOverRetryOnAndRetryOnLimitsRetriesToItsTypes() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(5)
                .retryOn(IOException.class, IllegalStateException.class)
                .noRetryOn(java.io.FileNotFoundException.class)
                .build();
        assertThat(p.decide(new IOException("x"), 1, random()).retry()).isTrue();
        assertThat(p.decide(new IllegalStateException("x"), 1, random()).retry())
                .isTrue();
        assertThat(p.decide(new java.io.FileNotFoundException("x"), 1, random()).retry())
                .isFalse();
        assertThat(p.decide(new IllegalArgumentException("x"), 1, random()).retry())
                .isFalse();
        assertThat(p.decide(new UncheckedIOException(new IOException()), 1, random())
                        .retry())
                .isFalse();
        RetryPolicy anyButState = RetryPolicy.builder()
                .noRetryOn(IllegalStateException.class, IllegalArgumentException.class)
                .build();
        assertThat(anyButState.decide(new IOException("x"), 1, random()).retry())
                .isTrue();
        assertThat(anyButState
                        .decide(new IllegalArgumentException("x"), 1, random())
                        .retry())
                .isFalse();
        assertThat(anyButState
                        .decide(new IllegalStateException("x"), 1, random())
                        .retry())
                .isFalse();
    }

    @Test
    void theBuilderAcceptsTheBoundaryValues() {
        RetryPolicy p = RetryPolicy.builder()
                .maxAttempts(1)
                .initialDelay(Duration.ZERO)
                .backoff(1.0)
                .maxDelay(Duration.ZERO)
                .jitter(0)
                .build();
        assertThat(p.maxAttempts()).isEqualTo(1);
        assertThat(p.initialDelay()).isEqualTo(Duration.ZERO);
        assertThat(p.backoff()).isEqualTo(1.0);
        assertThat(p.maxDelay()).isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.builder().jitter(1.0).build().jitter()).isEqualTo(1.0);
    }

    @Test
    void theBuilderRefusesValuesOutsideTheirRangeNamingTheValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1 (the first attempt), was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialDelay must not be negative, was PT-0.001S");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(0.99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoff must be at least 1.0, was 0.99");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDelay must not be negative, was PT-1S");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(-0.01))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be between 0 and 1, was -0.01");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aPolicyDescribesItsSettings() {
        assertThat(RetryPolicy.builder()
                        .maxAttempts(4)
                        .initialDelay(Duration.ofSeconds(2))
                        .backoff(1.5)
                        .maxDelay(Duration.ofSeconds(30))
                        .jitter(0.2)
                        .build())
                .hasToString("RetryPolicy{maxAttempts=4, initialDelay=PT2S, backoff=1.5, maxDelay=PT30S, jitter=0.2}");
    }

    @Test
    void aJitteredRetryWaitsTheSameDelayOnTheEngineClockAsThePolicyComputes() {
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(2)
                .initialDelay(Duration.ofSeconds(100))
                .jitter(0.5)
                .build();
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "flaky",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "call",
                        String.class,
                        s -> {
                            if (s.attempt() == 1) {
                                throw new IOException("down");
                            }
                            return "up";
                        },
                        StepConfig.builder().retry(policy).build())))) {
            java.time.Instant start = f.clock.now();
            f.engine.start("flaky", "x", "in");
            f.idle();
            java.time.Instant due = f.clock.nextTimer();
            assertThat(due).isBetween(start.plusSeconds(50), start.plusSeconds(100));
            f.restart();
            assertThat(f.clock.nextTimer()).isEqualTo(due);
            f.advance(Duration.between(start, due).minusMillis(1));
            assertThat(f.engine.execution("x").status()).isEqualTo(ExecutionStatus.WAITING);
            f.advance(Duration.ofMillis(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("up");
        }
    }

    // ---- polling strategy ---------------------------------------------------------------------------------

    private static final WaitStrategy.Exponential<String> UNTIL_DONE = WaitStrategy.until("done"::equals);

    @Test
    void pollingDefaultsToSixtyAttemptsFromFiveSecondsGrowingByHalfUpToFiveMinutes() {
        assertThat(UNTIL_DONE.maxAttempts()).isEqualTo(60);
        assertThat(UNTIL_DONE.initialDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(UNTIL_DONE.backoff()).isEqualTo(1.5);
        assertThat(UNTIL_DONE.maxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(UNTIL_DONE.decide("pending", 1)).isEqualTo(WaitDecision.continueAfter(Duration.ofSeconds(5)));
        assertThat(UNTIL_DONE.decide("pending", 2)).isEqualTo(WaitDecision.continueAfter(Duration.ofMillis(7500)));
        assertThat(UNTIL_DONE.decide("pending", 3)).isEqualTo(WaitDecision.continueAfter(Duration.ofMillis(11_250)));
        assertThat(UNTIL_DONE.decide("pending", 12)).isEqualTo(WaitDecision.continueAfter(Duration.ofMinutes(5)));
        assertThat(UNTIL_DONE.decide("pending", 59)).isEqualTo(WaitDecision.continueAfter(Duration.ofMinutes(5)));
    }

    @Test
    void pollingStopsAsSoonAsTheConditionHoldsEvenOnTheLastAttempt() {
        assertThat(UNTIL_DONE.decide("done", 1)).isEqualTo(WaitDecision.stop());
        assertThat(UNTIL_DONE.decide("done", 60)).isEqualTo(WaitDecision.stop());
        assertThat(WaitDecision.stop().done()).isTrue();
        assertThat(WaitDecision.stop().failure()).isNull();
    }

    @Test
    void pollingGivesUpOnTheLastAttemptNamingTheCount() {
        WaitStrategy.Exponential<String> three = UNTIL_DONE.maxAttempts(3);
        assertThat(three.decide("pending", 2).done()).isFalse();
        assertThat(three.decide("pending", 2).failure()).isNull();
        WaitDecision last = three.decide("pending", 3);
        assertThat(last.done()).isFalse();
        assertThat(last.failure()).isEqualTo("condition not met after 3 attempts");
        assertThat(last.delay()).isEqualTo(Duration.ZERO);
        assertThat(UNTIL_DONE.maxAttempts(1).decide("pending", 1).failure())
                .isEqualTo("condition not met after 1 attempts");
    }

    @Test
    void pollingDelaysFollowTheConfiguredInitialDelayBackoffAndCap() {
        WaitStrategy.Exponential<String> s = UNTIL_DONE
                .initialDelay(Duration.ofSeconds(2))
                .backoff(3)
                .maxDelay(Duration.ofSeconds(20))
                .maxAttempts(10);
        assertThat(s.decide("p", 1).delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.decide("p", 2).delay()).isEqualTo(Duration.ofSeconds(6));
        assertThat(s.decide("p", 3).delay()).isEqualTo(Duration.ofSeconds(18));
        assertThat(s.decide("p", 4).delay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.maxAttempts()).isEqualTo(10);
        assertThat(s.backoff()).isEqualTo(3.0);
        assertThat(s.initialDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxDelay()).isEqualTo(Duration.ofSeconds(20));
        WaitStrategy.Exponential<String> fractional =
                UNTIL_DONE.initialDelay(Duration.ofMillis(3)).backoff(1.5);
        assertThat(fractional.decide("p", 2).delay()).isEqualTo(Duration.ofMillis(5));
        assertThat(fractional.decide("p", 3).delay()).isEqualTo(Duration.ofMillis(7));
        assertThat(UNTIL_DONE.backoff(1.0).decide("p", 30).delay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachPollingSetterReturnsANewStrategyAndKeepsTheOtherSettings() {
        WaitStrategy.Exponential<String> s = UNTIL_DONE.maxAttempts(7);
        assertThat(UNTIL_DONE.maxAttempts()).isEqualTo(60);
        assertThat(s.initialDelay(Duration.ofSeconds(1)).maxAttempts()).isEqualTo(7);
        assertThat(s.backoff(2).maxAttempts()).isEqualTo(7);
        assertThat(s.maxDelay(Duration.ofSeconds(9)).maxAttempts()).isEqualTo(7);
        assertThat(s.maxDelay(Duration.ofSeconds(9)).backoff(2).maxDelay()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void pollingSettersRefuseValuesOutsideTheirRange() {
        assertThat(UNTIL_DONE.maxAttempts(1).maxAttempts()).isEqualTo(1);
        assertThatThrownBy(() -> UNTIL_DONE.maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> UNTIL_DONE.backoff(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoff must be at least 1.0, was 0.5");
        assertThatThrownBy(() -> UNTIL_DONE.backoff(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPollWaitsOnTheEngineClockExactlyTheStrategysDelays() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "poll",
                String.class,
                Integer.class,
                (in, ctx) -> ctx.waitForCondition(
                        "job",
                        Integer.class,
                        (state, step) -> state + 1,
                        WaitForConditionConfig.of(
                                0,
                                WaitStrategy.<Integer>until(n -> n >= 4)
                                        .initialDelay(Duration.ofSeconds(4))
                                        .backoff(1.5)
                                        .maxDelay(Duration.ofSeconds(7))))))) {
            java.time.Instant start = f.clock.now();
            f.engine.start("poll", "p", "x");
            f.idle();
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(4));
            f.advance(Duration.ofSeconds(4));
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(10));
            f.restart().advance(Duration.ofSeconds(6));
            assertThat(f.clock.nextTimer()).isEqualTo(start.plusSeconds(17)); // 9 s capped at 7 s
            f.advance(Duration.ofSeconds(7));
            assertThat(f.engine.<Integer>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo(4);
        }
    }
}
