package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepMigration;
import dev.durable.annotations.Wait;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's step migration in "Changing code safely": release 2 of a function replays what release 1 journaled,
 * through the migration, from the same journal directory.
 */
class StepMigrationExampleTest {
    @TempDir
    Path dir;

    record Order(String id, int items) {}

    record Money(int amount, String currency) {}

    /** Release 1: quote() returns a price in cents. */
    @DurableFunction("quotes")
    public static class QuotesV1 {
        record Quote(int price) {}

        @Handler
        public String handle(Order order) {
            Quote quote = quote(order);
            settle();
            return quote.toString();
        }

        @Step
        Quote quote(Order order) {
            return new Quote(order.items() * 450);
        }

        @Wait("PT1H")
        void settle() {}
    }

    /** Release 2: quote() returns money; a price release 1 journaled is converted on replay. */
    @DurableFunction("quotes")
    public static class QuotesV2 {
        interface Pricing {
            Quote quote(Order order);
        }

        private final Pricing pricing = order -> new Quote(new Money(order.items() * 5, "CHF"));

        @Handler
        public String handle(Order order) {
            Quote quote = quote(order);
            settle();
            return quote.toString();
        }

        @Wait("PT1H")
        void settle() {}

        record QuoteV1(int price) {} // what quote() returned until this release

        record Quote(Money total) {}

        @Step(value = "quote", resultVersion = 2)
        Quote quote(Order order) {
            return pricing.quote(order);
        }

        @StepMigration(step = "quote", from = 1) // a result the old release journaled, converted on replay
        static Quote quoteFromV1(QuoteV1 old) {
            return new Quote(new Money(old.price(), "EUR"));
        }
    }

    @Test
    void theNewReleaseReplaysAQuoteTheOldOneJournaled() {
        ManualClock clock = new ManualClock();
        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            runtime.register(new StepMigrationExampleTest_QuotesV1_Durable());
            runtime.start("quotes", "quote-7", new Order("7", 2));
            assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.execution("quote-7").status()).isEqualTo(ExecutionStatus.WAITING);
        }

        clock.advance(Duration.ofHours(1));
        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            runtime.register(new StepMigrationExampleTest_QuotesV2_Durable());
            assertThat(runtime.<String>execution("quote-7").result(Duration.ofSeconds(10)))
                    .isEqualTo("Quote[total=Money[amount=900, currency=EUR]]");
        }
    }
}
