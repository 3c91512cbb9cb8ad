package dev.durable.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.IncompatibleStepResultException;
import dev.durable.ManualClock;
import dev.durable.StepConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an execution in flight sees when a step's result type changes between releases, with the default
 * {@code JsonSerDes}: release 1 journals the result in a journal directory, release 2 opens that directory with the
 * same function and step names and another result type, and replays it.
 */
class StepResultEvolutionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    /** Release 1: step "quote" returns {@code journaled} as {@code type}, then the execution waits an hour. */
    private <A> void runRelease1(Class<A> type, A journaled) {
        try (LocalRuntime rt = open()) {
            rt.register("orders", String.class, String.class, (in, ctx) -> {
                ctx.step("quote", type, s -> journaled);
                ctx.wait("cooling-off", Duration.ofHours(1));
                return "release 1";
            });
            rt.start("orders", "o-1", "A");
            assertThat(rt.awaitIdle(TIMEOUT)).isTrue();
            assertThat(rt.execution("o-1").status()).isEqualTo(ExecutionStatus.WAITING);
        }
    }

    /**
     * Release 2 on the same journal: step "quote" now returns {@code type} (its body must not run: it is replayed),
     * configured by {@code config}; the execution returns what {@code seen} makes of the replayed value.
     */
    private <B> LocalRuntime openRelease2(Class<B> type, StepConfig config, Function<B, String> seen) {
        LocalRuntime rt = open();
        rt.register("orders", String.class, String.class, (in, ctx) -> {
            B quote = ctx.step(
                    "quote",
                    type,
                    s -> {
                        throw new AssertionError("a journaled step ran again");
                    },
                    config);
            ctx.wait("cooling-off", Duration.ofHours(1));
            return seen.apply(quote);
        });
        clock.advance(Duration.ofHours(1));
        return rt;
    }

    /** What release 2 sees of the value release 1 journaled as {@code v1Type}. */
    private <A, B> String replayed(Class<A> v1Type, A journaled, Class<B> v2Type, Function<B, String> seen) {
        runRelease1(v1Type, journaled);
        try (LocalRuntime rt = openRelease2(v2Type, StepConfig.defaults(), seen)) {
            return rt.<String>execution("o-1").result(TIMEOUT);
        }
    }

    private LocalRuntime open() {
        return LocalRuntime.builder().directory(dir).clock(clock).open();
    }

    record Quote(String id, int price) {}

    record QuoteWithMore(
            String id,
            int price,
            String note,
            int quantity,
            boolean express,
            Integer discount,
            Optional<String> coupon,
            List<String> tags) {}

    @Test
    void fieldsAddedToARecordReadAsNullZeroFalseOrEmptyOptional() {
        String seen = replayed(Quote.class, new Quote("q-1", 12), QuoteWithMore.class, Object::toString);

        assertThat(seen)
                .isEqualTo("QuoteWithMore[id=q-1, price=12, note=null, quantity=0, express=false, discount=null,"
                        + " coupon=Optional.empty, tags=null]");
    }

    record QuoteInCurrency(String id, int price, String currency) {
        QuoteInCurrency {
            currency = currency == null ? "EUR" : currency; // what results journaled before the field mean
        }
    }

    @Test
    void aRecordsCanonicalConstructorGivesAnAddedFieldItsDefault() {
        String seen = replayed(Quote.class, new Quote("q-1", 12), QuoteInCurrency.class, Object::toString);

        assertThat(seen).isEqualTo("QuoteInCurrency[id=q-1, price=12, currency=EUR]");
    }

    /** A bean: a field's initializer stays when the journaled value lacks the field. */
    public static class QuoteBean {
        public String id;
        public int price;
        public String currency = "EUR";
    }

    @Test
    void aBeanKeepsItsFieldInitializerForAnAddedField() {
        String seen = replayed(
                Quote.class, new Quote("q-1", 12), QuoteBean.class, b -> b.id + " " + b.price + " " + b.currency);

        assertThat(seen).isEqualTo("q-1 12 EUR");
    }

    record QuoteWithNote(String id, int price, String note) {}

    @Test
    void aRemovedFieldIsIgnored() {
        String seen =
                replayed(QuoteWithNote.class, new QuoteWithNote("q-1", 12, "rush"), Quote.class, Object::toString);

        assertThat(seen).isEqualTo("Quote[id=q-1, price=12]");
    }

    record QuoteRenamed(String id, int amount) {}

    record QuoteRenamedWithAlias(
            String id, @JsonAlias("price") int amount) {}

    @Test
    void aRenamedFieldLosesItsValue() {
        String seen = replayed(Quote.class, new Quote("q-1", 12), QuoteRenamed.class, Object::toString);

        assertThat(seen).isEqualTo("QuoteRenamed[id=q-1, amount=0]");
    }

    @Test
    void aRenamedFieldKeepsItsValueWithTheOldNameAsAnAlias() {
        String seen = replayed(Quote.class, new Quote("q-1", 12), QuoteRenamedWithAlias.class, Object::toString);

        assertThat(seen).isEqualTo("QuoteRenamedWithAlias[id=q-1, amount=12]");
    }

    record QuotePriceAsText(String id, String price) {}

    @Test
    void aNumberReadsAsTextWhenAFieldBecomesAString() {
        String seen = replayed(Quote.class, new Quote("q-1", 12), QuotePriceAsText.class, Object::toString);

        assertThat(seen).isEqualTo("QuotePriceAsText[id=q-1, price=12]");
    }

    record Money(int amount, String currency) {}

    record QuoteInMoney(String id, Money price) {}

    @Test
    void aRetypedFieldThatDoesNotConvertHoldsTheExecutionNamingTheProblemAndTheFix() {
        runRelease1(Quote.class, new Quote("q-1", 12));

        try (LocalRuntime rt = openRelease2(QuoteInMoney.class, StepConfig.defaults(), Object::toString)) {
            assertThat(rt.awaitIdle(TIMEOUT)).isTrue();
            ExecutionInfo info = rt.list().get(0);
            assertThat(info.status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(rt.describe("o-1").error().type()).isEqualTo(IncompatibleStepResultException.class.getName());
            assertThat(info.blockedReason())
                    .startsWith("Replay of execution 'o-1' cannot read the journaled result of step 'quote' as a "
                            + QuoteInMoney.class.getTypeName() + " at result version 1 (operation 1, at"
                            + " dev.durable.runtime.local.StepResultEvolutionTest")
                    .contains("it was journaled at result version 1 as {\"id\":\"q-1\",\"price\":12}, and it does not"
                            + " read as " + QuoteInMoney.class.getTypeName() + ": Cannot construct instance of `"
                            + Money.class.getTypeName() + "`")
                    .contains("(at " + QuoteInMoney.class.getTypeName() + "[\"price\"])")
                    .contains("The result type changed in a way journaled values do not convert to: give the new shape"
                            + " the next result version, with a migration from version 1 (@Step(value = \"quote\","
                            + " resultVersion = 2) and a static method @StepMigration(step = \"quote\", from = 1)")
                    .contains("StepConfig.builder().resultVersion(2).migrateFrom(1, OldType.class, old -> ...)), or"
                            + " deploy the old result type again");
        }
    }

    @Test
    void aRetypedFieldReplaysOnceTheNewVersionMigratesTheOldOne() {
        runRelease1(Quote.class, new Quote("q-1", 12));
        try (LocalRuntime rt = openRelease2(QuoteInMoney.class, StepConfig.defaults(), Object::toString)) {
            assertThat(rt.awaitIdle(TIMEOUT)).isTrue();
            assertThat(rt.execution("o-1").status()).isEqualTo(ExecutionStatus.BLOCKED);
        }

        StepConfig migrating = StepConfig.builder()
                .resultVersion(2)
                .migrateFrom(1, Quote.class, old -> new QuoteInMoney(old.id(), new Money(old.price(), "EUR")))
                .build();
        try (LocalRuntime rt = openRelease2(QuoteInMoney.class, migrating, Object::toString)) {
            assertThat(rt.<String>execution("o-1").result(TIMEOUT))
                    .isEqualTo("QuoteInMoney[id=q-1, price=Money[amount=12, currency=EUR]]");
        }
    }
}
