package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.IncompatibleStepResultException;
import dev.durable.StepConfig;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A step whose result type changed replays the results journaled with the old type through the migration the
 * code declares, context API: each deploy is a restart on the same journal with another handler registered.
 */
class StepMigrationTest {
    /** What step 'quote' returned at result version 1. */
    record QuoteV1(int price) {}

    record Money(int amount, String currency) {}

    /** What it returns at result version 2. */
    record Quote(Money total) {}

    private static final Function<QuoteV1, Quote> IN_EUROS = old -> new Quote(new Money(old.price(), "EUR"));

    private final AtomicReference<String> release = new AtomicReference<>("v1");
    private final AtomicInteger quotes = new AtomicInteger();
    private final AtomicInteger migrations = new AtomicInteger();

    /** Release "v1" returns a {@link QuoteV1}; the others a {@link Quote}, with the configuration they name. */
    private EngineFixture fixture() {
        return new EngineFixture(e -> e.register("orders", String.class, String.class, (in, ctx) -> {
            Object quote = switch (release.get()) {
                case "v1" ->
                    ctx.step("quote", QuoteV1.class, s -> {
                        quotes.incrementAndGet();
                        return new QuoteV1(12);
                    });
                case "v2" -> ctx.step("quote", Quote.class, s -> quoteNow(), v2(IN_EUROS));
                case "v2-from-json" ->
                    ctx.step(
                            "quote",
                            Quote.class,
                            s -> quoteNow(),
                            StepConfig.builder()
                                    .resultVersion(2)
                                    .migrateFrom(
                                            1,
                                            JsonNode.class,
                                            old -> new Quote(
                                                    new Money(old.get("price").asInt(), "EUR")))
                                    .build());
                case "v2-throwing" ->
                    ctx.step("quote", Quote.class, s -> quoteNow(), v2(old -> {
                        throw new IllegalStateException("no currency for " + old);
                    }));
                case "v2-wrong-type" ->
                    ctx.step(
                            "quote",
                            Quote.class,
                            s -> quoteNow(),
                            StepConfig.builder()
                                    .resultVersion(2)
                                    .migrateFrom(1, QuoteV1.class, old -> "twelve")
                                    .build());
                case "v3-from-2-only" ->
                    ctx.step(
                            "quote",
                            Quote.class,
                            s -> quoteNow(),
                            StepConfig.builder()
                                    .resultVersion(3)
                                    .migrateFrom(2, Quote.class, old -> old)
                                    .build());
                default -> throw new AssertionError(release.get());
            };
            ctx.wait("cooling-off", Duration.ofHours(1));
            return quote.toString();
        }));
    }

    private Quote quoteNow() {
        quotes.incrementAndGet();
        return new Quote(new Money(15, "CHF"));
    }

    private StepConfig v2(Function<QuoteV1, ?> migration) {
        return StepConfig.builder()
                .resultVersion(2)
                .migrateFrom(1, QuoteV1.class, old -> {
                    migrations.incrementAndGet();
                    return migration.apply(old);
                })
                .build();
    }

    /** Starts an execution on release v1, then deploys {@code next}: it replays the version-1 result. */
    private EngineFixture startedOnV1ThenDeployed(String next) {
        EngineFixture f = fixture();
        f.engine.start("orders", "o-1", "A");
        f.idle();
        release.set(next);
        f.restart().advance(Duration.ofHours(1));
        return f;
    }

    private static String step(List<JournalRecord> records) {
        return records.stream()
                .filter(r -> r.type() == RecordType.OPERATION && r.operationId().equals("1"))
                .map(JournalRecord::payloadText)
                .filter(p -> p.contains("SUCCEEDED"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aResultJournaledAtAnOlderVersionReplaysThroughItsMigration() {
        try (EngineFixture f = startedOnV1ThenDeployed("v2")) {
            assertThat(f.engine.<String>execution("o-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("Quote[total=Money[amount=12, currency=EUR]]");
            assertThat(quotes).hasValue(1);
            assertThat(migrations.get()).isPositive(); // on every replay
        }
    }

    @Test
    void theOldValueMayBeReadAsJson() {
        try (EngineFixture f = startedOnV1ThenDeployed("v2-from-json")) {
            assertThat(f.engine.<String>execution("o-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("Quote[total=Money[amount=12, currency=EUR]]");
        }
    }

    @Test
    void aResultIsJournaledWithItsVersionAndReplaysWithoutMigrationAtThatVersion() {
        release.set("v2");
        try (EngineFixture f = fixture()) {
            f.engine.start("orders", "o-2", "B");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("o-2").result(Duration.ofSeconds(5)))
                    .isEqualTo("Quote[total=Money[amount=15, currency=CHF]]");
            assertThat(quotes).hasValue(1);
            assertThat(migrations).hasValue(0);
            assertThat(step(f.journal.read("o-2"))).contains("\"resultVersion\":2");
        }
    }

    @Test
    void aVersionOneResultIsJournaledAsBeforeResultVersionsExisted() {
        try (EngineFixture f = fixture()) {
            f.engine.start("orders", "o-1", "A");
            f.idle();
            String payload = step(f.journal.read("o-1"));
            assertThat(payload).doesNotContain("resultVersion");

            OpState folded = new OpState(
                    "1", EventCodec.readOperation(f.journal.read("o-1").get(1)));
            assertThat(folded.resultVersion).isEqualTo(1);
        }
    }

    @Test
    void aVersionWithoutAMigrationHoldsTheExecutionNamingTheStepAndWhatToAdd() {
        try (EngineFixture f = startedOnV1ThenDeployed("v3-from-2-only")) {
            assertThat(f.engine.execution("o-1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            ExecutionDetails d = f.engine.describe("o-1");
            assertThat(d.error().type()).isEqualTo(IncompatibleStepResultException.class.getName());
            assertThat(d.info().blockedReason())
                    .startsWith("Replay of execution 'o-1' cannot read the journaled result of step 'quote' as a "
                            + Quote.class.getTypeName() + " at result version 3 (operation 1, at"
                            + " dev.durable.internal.StepMigrationTest")
                    .contains("it was journaled at result version 1 as {\"price\":12}, and the code's result version"
                            + " is 3 and it has no migration from version 1 (it has migrations from: 2). Add one:"
                            + " a static method @StepMigration(step = \"quote\", from = 1) taking the version-1 type"
                            + " (or JsonNode)")
                    .contains("StepConfig.builder().resultVersion(3).migrateFrom(1, OldType.class, old -> ...)")
                    .endsWith("The execution is held BLOCKED, its journal unchanged, and replays again once such"
                            + " code is deployed.");

            release.set("v2");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("o-1").result(Duration.ofSeconds(5)))
                    .isEqualTo("Quote[total=Money[amount=12, currency=EUR]]");
            assertThat(quotes).hasValue(1);
        }
    }

    @Test
    void aResultNewerThanTheCodeHoldsTheExecutionAfterARollback() {
        release.set("v2");
        try (EngineFixture f = fixture()) {
            f.engine.start("orders", "o-2", "B");
            f.idle();
            List<JournalRecord> before = f.journal.read("o-2");
            release.set("v1");
            f.restart().advance(Duration.ofHours(1));

            assertThat(f.engine.execution("o-2").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.engine.list().get(0).blockedReason())
                    .contains(
                            "it was journaled at result version 2 as {\"total\":{\"amount\":15,\"currency\":\"CHF\"}},"
                                    + " and that is newer than the code's result version 1: code older than the code that"
                                    + " journaled it is deployed. Deploy code whose step 'quote' has result version 2 or"
                                    + " higher");
            assertThat(f.journal.read("o-2")).isEqualTo(before);
        }
    }

    @Test
    void aMigrationThatThrowsHoldsTheExecutionWithItsFailure() {
        try (EngineFixture f = startedOnV1ThenDeployed("v2-throwing")) {
            assertThat(f.engine.execution("o-1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.engine.list().get(0).blockedReason())
                    .contains("the migration from version 1 threw java.lang.IllegalStateException: no currency for"
                            + " QuoteV1[price=12]. Fix the migration");
        }
    }

    @Test
    void aMigrationReturningAnotherTypeHoldsTheExecution() {
        try (EngineFixture f = startedOnV1ThenDeployed("v2-wrong-type")) {
            assertThat(f.engine.execution("o-1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(f.engine.list().get(0).blockedReason())
                    .contains("the migration from version 1 returned a java.lang.String, not a "
                            + Quote.class.getTypeName() + ". Return the step's current result type");
        }
    }

    @Test
    void migrationsAreRefusedWhenTheyCannotApply() {
        assertThatThrownBy(() -> StepConfig.builder().resultVersion(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("resultVersion is 0: result versions count from 1");
        assertThatThrownBy(() -> StepConfig.builder().migrateFrom(0, QuoteV1.class, IN_EUROS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a migration from result version 0 converts nothing: result versions count from 1");
        assertThatThrownBy(() -> StepConfig.builder()
                        .migrateFrom(1, QuoteV1.class, IN_EUROS)
                        .migrateFrom(1, JsonNode.class, old -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("two migrations from result version 1");
        assertThatThrownBy(() -> StepConfig.builder()
                        .migrateFrom(2, QuoteV1.class, IN_EUROS)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a migration from result version 2 needs a current result version above it, and it is 1:"
                        + " call resultVersion(3) or higher, or remove the migration");
        StepConfig config = StepConfig.builder()
                .migrateFrom(1, QuoteV1.class, IN_EUROS)
                .resultVersion(2)
                .build();
        assertThat(config.resultVersion()).isEqualTo(2);
        assertThat(config.migrations().get(1).oldType()).isEqualTo(QuoteV1.class);
        assertThat(StepConfig.defaults().resultVersion()).isEqualTo(1);
    }

    /** What step 'prices' declares in a release: the list it returned at version 1, or a later reading of it. */
    record Prices(List<Integer> price) {}

    /**
     * Journals step 'prices' returning {@code first} at version 1, then deploys code whose step reads it through
     * {@code later}, and returns why the execution is held.
     */
    private static String heldAfterRedeploy(Object first, Function<dev.durable.DurableContext, Object> later) {
        AtomicReference<Boolean> deployed = new AtomicReference<>(false);
        try (EngineFixture f = new EngineFixture(e -> e.register("prices", String.class, String.class, (in, ctx) -> {
            Object v = deployed.get() ? later.apply(ctx) : ctx.step("prices", Object.class, s -> first);
            ctx.wait("cooling-off", Duration.ofHours(1));
            return String.valueOf(v);
        }))) {
            f.engine.start("prices", "p-1", "A");
            f.idle();
            deployed.set(true);
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.execution("p-1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            return f.engine.describe("p-1").info().blockedReason();
        }
    }

    @Test
    void aResultThatNoLongerReadsAsTheStepsTypeHoldsTheExecutionNamingWhereItBrokeAndTheNextVersionToGiveIt() {
        String reason = heldAfterRedeploy(
                java.util.Map.of("price", 12), ctx -> ctx.step("prices", Prices.class, s -> new Prices(List.of())));
        assertThat(reason)
                .contains("it was journaled at result version 1 as {\"price\":12}, and it does not read as "
                        + Prices.class.getTypeName() + ": ")
                .contains("(at " + Prices.class.getName() + "[\"price\"])")
                .contains("The result type changed in a way journaled values do not convert to: give the new shape"
                        + " the next result version, with a migration from version 1 (@Step(value = \"prices\","
                        + " resultVersion = 2) and a static method @StepMigration(step = \"prices\", from = 1)")
                .contains("StepConfig.builder().resultVersion(2).migrateFrom(1, OldType.class, old -> ...)),"
                        + " or deploy the old result type again");
        assertThat(heldAfterRedeploy("twelve", ctx -> ctx.step("prices", Integer.class, s -> 12)))
                .contains("and it does not read as java.lang.Integer: Cannot deserialize value of type")
                .doesNotContain("(at ");
    }

    @Test
    void aMigrationToAGenericTypeMustReturnThatTypeNotAnother() {
        String reason = heldAfterRedeploy(
                List.of(1),
                ctx -> ctx.step(
                        "prices",
                        new dev.durable.TypeToken<List<String>>() {},
                        s -> List.of(),
                        StepConfig.builder()
                                .resultVersion(2)
                                .migrateFrom(1, JsonNode.class, old -> java.util.Map.of("not", "a list"))
                                .build()));
        assertThat(reason)
                .contains("the migration from version 1 returned a java.util.ImmutableCollections$Map1, not a"
                        + " java.util.List<java.lang.String>");
    }

    @Test
    void theJournaledValueInTheMessageIsCutAfterTwoHundredCharacters() {
        Function<dev.durable.DurableContext, Object> asInteger = ctx -> ctx.step("prices", Integer.class, s -> 1);
        String fits = "x".repeat(198); // 200 characters of JSON with its quotes
        assertThat(heldAfterRedeploy(fits, asInteger)).contains(" as \"" + fits + "\", and ");
        String longer = "x".repeat(199);
        assertThat(heldAfterRedeploy(longer, asInteger)).contains(" as \"" + "x".repeat(196) + "..., and ");
    }
}
