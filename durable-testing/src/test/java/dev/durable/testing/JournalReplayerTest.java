package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.DurableContext;
import dev.durable.DurableHandler;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.annotations.StepSemantics;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class JournalReplayerTest {
    record Order(String id, int amount) {}

    private static final StepConfig ONCE =
            StepConfig.builder().retry(RetryPolicy.noRetry()).build();

    private final AtomicInteger shipments = new AtomicInteger();

    /** The release in production: reserve, charge, ask the manager, ship. */
    private final DurableHandler<Order, String> v1 = (order, ctx) -> {
        String r = ctx.step("reserve", String.class, s -> "R-" + order.id());
        return chargeAskAndShip(order, ctx, r);
    };

    /** The release's operations after the reservation {@code r}. */
    private String chargeAskAndShip(Order order, DurableContext ctx, String r) {
        String p = ctx.step(
                "charge",
                String.class,
                s -> {
                    if (order.amount() < 0) {
                        throw new IllegalArgumentException("negative amount " + order.amount());
                    }
                    return "P-" + order.amount();
                },
                ONCE);
        Boolean approved = ctx.waitForCallback("approval", Boolean.class, (id, s) -> {}, CallbackConfig.defaults());
        return ctx.step("ship", String.class, s -> {
            shipments.incrementAndGet();
            return (approved ? "shipped " : "held ") + r + " " + p;
        });
    }

    @TempDir
    Path journal;

    /** Writes last release's journal: one order shipped, one waiting for approval, one failed. */
    @BeforeEach
    void recordProductionJournal() {
        try (DurableTestRuntime production =
                DurableTestRuntime.builder().fileJournal(journal).open()) {
            production.register("orders", Order.class, String.class, v1);
            production.start("orders", "o-1", new Order("1", 10)).completeCallback("approval", true);
            production.start("orders", "o-2", new Order("2", 20));
            production.start("orders", "o-3", new Order("3", -5));
        }
    }

    @Test
    void theSameCodeReplaysEverySavedExecution() {
        ReplayReport report = JournalReplayer.create()
                .register("orders", Order.class, String.class, v1)
                .replay(journal)
                .assertDeterministic();

        assertThat(report.executions()).extracting(ExecutionReplay::execution).containsExactly("o-1", "o-2", "o-3");
        assertThat(report.execution("o-1").message()).isEqualTo("replayed its 5 operations to the journaled SUCCEEDED");
        assertThat(report.execution("o-2").message())
                .startsWith("replayed its 4 journaled operations; waits at operation 3 CALLBACK 'approval' STARTED");
        assertThat(report.execution("o-3").message()).isEqualTo("replayed its 2 operations to the journaled FAILED");
        assertThat(shipments).hasValue(1);
        assertThat(report.toString()).startsWith("Journal replay of 3 executions: 3 OK");
    }

    @Test
    void aReorderedStepIsReportedAsTheFirstDivergingOperation() {
        DurableHandler<Order, String> chargeFirst = (order, ctx) -> {
            String p = ctx.step("charge", String.class, s -> "P-" + order.amount(), ONCE);
            String r = ctx.step("reserve", String.class, s -> "R-" + order.id());
            Boolean approved = ctx.waitForCallback("approval", Boolean.class, (id, s) -> {}, CallbackConfig.defaults());
            return ctx.step("ship", String.class, s -> (approved ? "shipped " : "held ") + r + " " + p);
        };

        ReplayReport report = JournalReplayer.create()
                .register("orders", Order.class, String.class, chargeFirst)
                .replay(journal);

        ExecutionReplay o1 = report.execution("o-1");
        assertThat(o1.verdict()).isEqualTo(ExecutionReplay.Verdict.DIVERGED);
        assertThat(o1.operationId()).isEqualTo("1");
        assertThat(o1.journaled()).isEqualTo("STEP 'reserve' SUCCEEDED");
        assertThat(o1.performed()).startsWith("STEP 'charge' (at dev.durable.testing.JournalReplayerTest.lambda$");
        assertThat(o1.message())
                .startsWith("Non-deterministic replay of execution 'o-1' at operation 1: the journal"
                        + " holds STEP 'reserve' but the code now performs STEP 'charge'");
        assertThat(report.problems()).extracting(ExecutionReplay::execution).containsExactly("o-1", "o-2", "o-3");
        assertThatThrownBy(report::assertDeterministic)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("The current code does not replay 3 of 3 saved executions:")
                .hasMessageContaining("  - o-2 (orders): DIVERGED at operation 1: the journal holds STEP 'reserve'"
                        + " SUCCEEDED, the code performs STEP 'charge'");
    }

    @Test
    void aStepResultTheNewCodeCannotReadIsReportedAsADivergenceNamingTheFix() {
        DurableHandler<Order, String> reservationAsNumber = (order, ctx) -> {
            Integer r = ctx.step("reserve", Integer.class, s -> 1);
            return ctx.step("ship", String.class, s -> "shipped " + r);
        };

        ExecutionReplay o1 = JournalReplayer.create()
                .register("orders", Order.class, String.class, reservationAsNumber)
                .replay(journal)
                .execution("o-1");

        assertThat(o1.verdict()).isEqualTo(ExecutionReplay.Verdict.DIVERGED);
        assertThat(o1.operationId()).isEqualTo("1");
        assertThat(o1.journaled()).isEqualTo("STEP 'reserve' SUCCEEDED");
        assertThat(o1.performed())
                .startsWith(
                        "a java.lang.Integer at result version 1 (at dev.durable.testing.JournalReplayerTest.lambda$");
        assertThat(o1.message())
                .startsWith("Replay of execution 'o-1' cannot read the journaled result of step 'reserve' as a"
                        + " java.lang.Integer at result version 1 (operation 1, at ")
                .contains("it was journaled at result version 1 as \"R-1\", and it does not read as java.lang.Integer")
                .contains("@StepMigration(step = \"reserve\", from = 1)");
    }

    record Reservation(String code) {}

    @Test
    void aStepRetypedWithAMigrationReplaysEverySavedExecution() {
        StepConfig reservationV2 = StepConfig.builder()
                .resultVersion(2)
                .migrateFrom(1, String.class, Reservation::new)
                .build();
        DurableHandler<Order, String> v2 = (order, ctx) -> {
            Reservation r =
                    ctx.step("reserve", Reservation.class, s -> new Reservation("R-" + order.id()), reservationV2);
            return chargeAskAndShip(order, ctx, r.code());
        };

        ReplayReport report = JournalReplayer.create()
                .register("orders", Order.class, String.class, v2)
                .replay(journal)
                .assertDeterministic();

        assertThat(report.execution("o-1").message()).isEqualTo("replayed its 5 operations to the journaled SUCCEEDED");
    }

    @Test
    void aChangedResultIsReportedForEndedExecutionsWhileUnfinishedOnesStillReplay() {
        DurableHandler<Order, String> newLabel = (order, ctx) -> {
            String r = ctx.step("reserve", String.class, s -> "R-" + order.id());
            String p = ctx.step("charge", String.class, s -> "P-" + order.amount(), ONCE);
            Boolean approved = ctx.waitForCallback("approval", Boolean.class, (id, s) -> {}, CallbackConfig.defaults());
            String shipped = ctx.step("ship", String.class, s -> (approved ? "shipped " : "held ") + r + " " + p);
            return shipped.toUpperCase();
        };

        ReplayReport report = JournalReplayer.create()
                .register("orders", Order.class, String.class, newLabel)
                .replay(journal);

        ExecutionReplay o1 = report.execution("o-1");
        assertThat(o1.verdict()).isEqualTo(ExecutionReplay.Verdict.RESULT_DIFFERS);
        assertThat(o1.expected()).isEqualTo("SUCCEEDED with \"shipped R-1 P-10\"");
        assertThat(o1.actual()).isEqualTo("SUCCEEDED with \"SHIPPED R-1 P-10\"");
        assertThat(report.execution("o-2").isOk()).isTrue();
        assertThat(report.execution("o-3").isOk()).isTrue();
    }

    @Test
    void anUnfinishedExecutionStopsWhereItsJournalEnds() {
        AtomicInteger reserves = new AtomicInteger();
        AtomicInteger charges = new AtomicInteger();
        DurableHandler<Order, String> handler = (order, ctx) -> {
            String r = ctx.step("reserve", String.class, s -> "R-" + reserves.incrementAndGet());
            String p = ctx.step(
                    "charge",
                    String.class,
                    s -> "P-" + charges.incrementAndGet(),
                    StepConfig.builder()
                            .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                            .build());
            return r + p;
        };
        List<JournalRecord> crashed;
        try (DurableTestRuntime rt = DurableTestRuntime.inMemory()) {
            rt.register("orders", Order.class, String.class, handler);
            rt.start("orders", "o-9", new Order("9", 1));
            List<JournalRecord> all = rt.records("o-9");
            crashed = new ArrayList<>(all.subList(0, 2)); // the process died after 'reserve'
        }

        ReplayReport report = JournalReplayer.create()
                .register("orders", Order.class, String.class, handler)
                .replay(crashed)
                .assertDeterministic();

        assertThat(report.execution("o-9").message())
                .isEqualTo("replayed its 1 journaled operations and stopped at"
                        + " op 2 STEP 'charge' STARTED attempt 1, which the saved journal does not hold");
        assertThat(reserves).hasValue(1);
        assertThat(charges).hasValue(1);
    }

    @Test
    void executionsOfFunctionsNotRegisteredAreSkippedAndFailTheAssertion() {
        ReplayReport report = JournalReplayer.create()
                .register("other", String.class, String.class, (in, ctx) -> in)
                .replay(journal);

        assertThat(report.execution("o-1").verdict()).isEqualTo(ExecutionReplay.Verdict.SKIPPED);
        assertThat(report.execution("o-1").message())
                .isEqualTo("no function 'orders' is registered with the replayer (registered: [other])");
        assertThat(report.isDeterministic()).isFalse();
        assertThatThrownBy(report::assertDeterministic).hasMessageContaining("o-1 (orders): SKIPPED");
    }

    @Test
    void theSavedJournalIsNeverChanged() throws Exception {
        TreeMap<String, String> before = fingerprint(journal);
        JournalReplayer.create()
                .register("orders", Order.class, String.class, v1)
                .replay(journal);
        assertThat(fingerprint(journal)).isEqualTo(before);
    }

    @Test
    void anEmptyJournalFailsTheAssertionAndAMissingDirectoryIsRefused(@TempDir Path empty) {
        assertThatThrownBy(() -> JournalReplayer.create()
                        .replay(List.<JournalRecord>of())
                        .assertDeterministic())
                .hasMessageContaining("holds no executions");
        assertThatThrownBy(() -> JournalReplayer.create().replay(empty.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no journal directory at");
    }

    @Test
    void theTestRuntimesReplayerHasItsFunctions(@TempDir Path dir) {
        try (DurableTestRuntime rt = DurableTestRuntime.inMemory()) {
            rt.register("orders", Order.class, String.class, v1);
            assertThat(rt.replayer().replay(journal).isDeterministic()).isTrue();
            rt.start("orders", "o-5", new Order("5", 5)).completeCallback("approval", false);
            assertThat(rt.replayer().replay(rt.journal()).execution("o-5").isOk())
                    .isTrue();
            assertThat(rt.records("o-5"))
                    .last()
                    .extracting(JournalRecord::type)
                    .isEqualTo(RecordType.EXECUTION_FINISHED);
        }
    }

    private static TreeMap<String, String> fingerprint(Path dir) throws Exception {
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                files.put(dir.relativize(p).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return files;
    }
}
