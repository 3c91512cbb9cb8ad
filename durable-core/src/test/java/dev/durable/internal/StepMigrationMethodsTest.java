package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.Durable;
import dev.durable.ExecutionStatus;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepMigration;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableProxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code @StepMigration} methods reach the engine through the step's {@link DurableMethod}, the descriptor both
 * generated proxies and the agent build; proxies written by hand the way the processor writes them.
 */
class StepMigrationMethodsTest {
    record QuoteV1(int price) {}

    record Money(int amount, String currency) {}

    record Quote(Money total) {}

    /** Release 1 of function "quotes": step 'quote' returns a {@link QuoteV1}. */
    @DurableFunction("quotes")
    static class QuotesV1 {
        @Handler
        public String handle(String order) {
            QuoteV1 q = quote(order);
            Durable.context().wait("cooling-off", Duration.ofHours(1));
            return q.toString();
        }

        @Step
        QuoteV1 quote(String order) {
            return new QuoteV1(12);
        }
    }

    static final class QuotesV1Durable extends QuotesV1 implements DurableProxy {
        private static final DurableMethod QUOTE = DurableMethod.of(QuotesV1.class, "quote", String.class);

        @Override
        QuoteV1 quote(String order) {
            return (QuoteV1) AnnotatedMethodsTest.call(QUOTE, new Object[] {order}, () -> super.quote(order));
        }
    }

    /** Release 2: step 'quote' (a method of another name now) returns a {@link Quote}, and converts version 1. */
    @DurableFunction("quotes")
    static class QuotesV2 {
        static final AtomicBoolean QUOTED = new AtomicBoolean();

        @Handler
        public String handle(String order) {
            Quote q = price(order);
            Durable.context().wait("cooling-off", Duration.ofHours(1));
            return q.toString();
        }

        @Step(value = "quote", resultVersion = 2)
        Quote price(String order) {
            QUOTED.set(true);
            return new Quote(new Money(15, "CHF"));
        }

        @StepMigration(step = "quote", from = 1)
        private static Quote fromV1(QuoteV1 old) {
            return new Quote(new Money(old.price(), "EUR"));
        }
    }

    static final class QuotesV2Durable extends QuotesV2 implements DurableProxy {
        private static final DurableMethod PRICE = DurableMethod.of(QuotesV2.class, "price", String.class);

        @Override
        Quote price(String order) {
            return (Quote) AnnotatedMethodsTest.call(PRICE, new Object[] {order}, () -> super.price(order));
        }
    }

    @Test
    void aMigrationMethodConvertsTheResultJournaledByTheOldRelease() {
        boolean[] v2 = {false};
        try (EngineFixture f =
                new EngineFixture(e -> e.register(v2[0] ? new QuotesV2Durable() : new QuotesV1Durable()))) {
            f.engine.start("quotes", "q-1", "A");
            f.idle();
            v2[0] = true;
            f.restart().advance(Duration.ofHours(1));

            assertThat(f.engine.<String>execution("q-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("Quote[total=Money[amount=12, currency=EUR]]");
            assertThat(QuotesV2.QUOTED).isFalse();
        }
    }

    @Test
    void theStepsResultVersionAndMigrationsAreReadFromItsClass() {
        DurableMethod price = DurableMethod.of(QuotesV2.class, "price", String.class);
        assertThat(price.stepConfig().resultVersion()).isEqualTo(2);
        assertThat(price.stepConfig().migrations()).containsOnlyKeys(1);
        assertThat(price.stepConfig().migrations().get(1).oldType()).isEqualTo(QuoteV1.class);
        assertThat(price.stepConfig().migrations().get(1).migrate(new QuoteV1(3)))
                .isEqualTo(new Quote(new Money(3, "EUR")));
        assertThat(DurableMethod.of(QuotesV1.class, "quote", String.class)
                        .stepConfig()
                        .resultVersion())
                .isEqualTo(1);
    }

    static class Malformed {
        @Step(resultVersion = 0)
        Quote unversioned() {
            return null;
        }

        @Step(resultVersion = 2)
        Quote instance() {
            return null;
        }

        @StepMigration(step = "instance", from = 1)
        Quote instanceFromV1(QuoteV1 old) {
            return null;
        }

        @Step(resultVersion = 2)
        Quote twoParameters() {
            return null;
        }

        @StepMigration(step = "twoParameters", from = 1)
        static Quote twoFromV1(QuoteV1 old, String extra) {
            return null;
        }

        @Step(resultVersion = 2)
        Quote fromCurrent() {
            return null;
        }

        @StepMigration(step = "fromCurrent", from = 2)
        static Quote fromV2(QuoteV1 old) {
            return null;
        }

        @Step(resultVersion = 2)
        Quote wrongReturn() {
            return null;
        }

        @StepMigration(step = "wrongReturn", from = 1)
        static QuoteV1 wrongFromV1(QuoteV1 old) {
            return old;
        }

        @Step(resultVersion = 3)
        int twice() {
            return 0;
        }

        @StepMigration(step = "twice", from = 1)
        static int twiceA(JsonNode old) {
            return 1;
        }

        @StepMigration(step = "twice", from = 1)
        static Integer twiceB(JsonNode old) {
            return 2;
        }
    }

    private static IllegalArgumentException refused(String step) {
        return org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> DurableMethod.of(Malformed.class, step));
    }

    @Test
    void malformedMigrationsAreRefusedNamingTheMethodAndTheFix() {
        String where = "@StepMigration method " + Malformed.class.getName() + ".";
        assertThat(refused("unversioned"))
                .hasMessageStartingWith(Malformed.class.getName() + ".unversioned @Step resultVersion is 0: result"
                        + " versions count from 1");
        assertThat(refused("instance"))
                .hasMessage(where + "instanceFromV1 is not static: a migration runs on every replay of an old result"
                        + " and must depend on nothing but that value; make it static");
        assertThat(refused("twoParameters"))
                .hasMessage(where + "twoFromV1 takes 2 parameters: it takes one, the type a result of version 1 is"
                        + " read as");
        assertThat(refused("fromCurrent"))
                .hasMessage(where + "fromV2 converts from result version 2 but step 'fromCurrent' has result version"
                        + " 2: a migration converts from a version between 1 and the step's current one, excluded;"
                        + " raise @Step(resultVersion) or fix from");
        assertThat(refused("wrongReturn"))
                .hasMessage(where + "wrongFromV1 returns " + QuoteV1.class.getName() + ", not the result type "
                        + Quote.class.getName() + " of step 'wrongReturn': return it");
        assertThat(refused("twice")).hasMessageContaining("both convert step 'twice' from result version 1: keep one");
    }

    @DurableFunction("orphans")
    static class Orphan {
        @Handler
        public String handle(String in) {
            return in;
        }

        @Step(value = "quote", resultVersion = 2)
        Quote price() {
            return null;
        }

        @StepMigration(step = "price", from = 1)
        static Quote fromV1(QuoteV1 old) {
            return null;
        }
    }

    static final class OrphanDurable extends Orphan implements DurableProxy {}

    @Test
    void aMigrationNamingNoStepIsRefusedWhenTheFunctionIsRegistered() {
        try (EngineFixture f = new EngineFixture(e -> {})) {
            assertThatThrownBy(() -> f.engine.register(new OrphanDurable()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("@StepMigration method " + Orphan.class.getName() + ".fromV1 converts results of step"
                            + " 'price', which no @Step method of Orphan has (its steps: quote); name the step as it"
                            + " is journaled: its @Step value, or its method name");
            assertThat(f.engine.list(ExecutionStatus.values())).isEmpty();
        }
    }
}
