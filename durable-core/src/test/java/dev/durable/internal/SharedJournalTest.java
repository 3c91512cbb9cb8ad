package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.Execution;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.internal.SharedJournal.Released;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several processes share one journal, as workers of a database backend do: each runs what it started or claimed,
 * hands every run that ends back with when it is due next, and the callers waiting in one process learn how an
 * execution run in another ended.
 */
class SharedJournalTest {
    private final SharedJournal db = new SharedJournal();
    private final List<SharedJournal.Process> processes = new ArrayList<>();
    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private final AtomicInteger naps = new AtomicInteger();

    @AfterEach
    void closeProcesses() {
        processes.forEach(SharedJournal.Process::close);
    }

    record Quote(String who, int price) {}

    private void functions(DurableEngine e) {
        e.register("greet", String.class, String.class, (who, ctx) -> "hello " + who);
        e.register("quote", String.class, Quote.class, (who, ctx) -> new Quote(who, 42));
        e.register("refuse", String.class, String.class, (who, ctx) -> {
            throw new IllegalStateException("no quote for " + who);
        });
        e.register("nap", Integer.class, Integer.class, (hours, ctx) -> {
            naps.incrementAndGet();
            ctx.wait("nap", Duration.ofHours(hours));
            return hours;
        });
        e.register(
                "approve",
                String.class,
                String.class,
                (order, ctx) -> "approved by "
                        + ctx.waitForCallback(
                                "manager",
                                String.class,
                                (id, step) -> callbackOf.put(order, id),
                                CallbackConfig.defaults()));
        e.register(
                "deadline",
                String.class,
                String.class,
                (order, ctx) -> ctx.waitForCallback(
                        "manager",
                        String.class,
                        (id, step) -> callbackOf.put(order, id),
                        CallbackConfig.timeout(Duration.ofMinutes(10))));
        e.register("remind", String.class, String.class, (order, ctx) -> {
            ctx.createCallback("late", String.class, CallbackConfig.timeout(Duration.ofMinutes(45)));
            ctx.createCallback("early", String.class, CallbackConfig.timeout(Duration.ofMinutes(30)));
            ctx.wait("nap", Duration.ofHours(1));
            return order;
        });
        e.register("patient", String.class, String.class, (order, ctx) -> {
            ctx.createCallback("slow", String.class, CallbackConfig.timeout(Duration.ofHours(2)));
            ctx.wait("nap", Duration.ofHours(1));
            return order;
        });
        e.register(
                "parent",
                String.class,
                String.class,
                (in, ctx) -> "parent of " + ctx.invoke("child", "nap", 1, Integer.class));
    }

    private SharedJournal.Process worker(String id) {
        SharedJournal.Process p = db.worker(id, this::functions);
        processes.add(p);
        return p;
    }

    private SharedJournal.Process client(String id) {
        SharedJournal.Process p = db.client(id, this::functions);
        processes.add(p);
        return p;
    }

    /** The name of the execution that parent {@code p} invoked: the journal's only other one. */
    private String childOf(String p) {
        return db.records.executionIds().stream()
                .filter(n -> !n.equals(p))
                .findFirst()
                .orElseThrow();
    }

    private Instant in(Duration d) {
        return db.clock.now().plus(d);
    }

    @Test
    void anExecutionStartedHereRunsHereAndIsHandedBackAsEndedSoThatThisProcessNoLongerListsIt() {
        SharedJournal.Process a = worker("a");
        Execution<String> greet = a.engine.start("greet", "g", "ann");
        assertThat(greet.result(Duration.ofSeconds(5))).isEqualTo("hello ann");
        a.idle();
        assertThat(db.released).containsExactly(new Released("a", "g", true, null));
        assertThat(db.owner("g")).isNull();
        assertThat(a.engine.sharing().holds("g")).isFalse();
        assertThat(a.engine.list()).isEmpty();
        // read back from the journal, as any process would
        assertThat(a.engine.<String>execution("g").result(Duration.ofSeconds(5)))
                .isEqualTo("hello ann");
        assertThat(a.engine.execution("g").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aResultReadFromTheJournalHasTheFunctionsTypeAndPlainJsonValuesInAProcessWithoutTheFunction() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process bare = db.client("bare", e -> {});
        processes.add(bare);
        a.engine.start("quote", "q", "ann").result(Duration.ofSeconds(5));
        assertThatThrownBy(() -> a.engine.start("refuse", "r", "bo").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class);
        a.idle();
        assertThat(a.engine.<Quote>execution("q").result(Duration.ofSeconds(5))).isEqualTo(new Quote("ann", 42));
        assertThat(bare.engine.<Object>execution("q").result(Duration.ofSeconds(5)))
                .isEqualTo(Map.of("who", "ann", "price", 42));
        assertThatThrownBy(() -> bare.engine.execution("r").result(Duration.ofSeconds(5)))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("execution 'r' failed")
                .hasMessageContaining("no quote for bo");
    }

    @Test
    void aWaitingExecutionIsHandedBackDueAtItsTimerAndItsCallerLearnsTheResultWhenItEndsInAnotherProcess() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        Execution<Integer> nap = a.engine.start("nap", "n", 1);
        a.idle();
        assertThat(db.released).containsExactly(new Released("a", "n", false, in(Duration.ofHours(1))));
        assertThat(a.engine.sharing().holds("n")).isFalse();
        assertThat(a.engine.sharing().awaitedElsewhere()).containsExactly("n");
        assertThat(a.engine.execution("n").status()).isEqualTo(ExecutionStatus.WAITING);
        db.clock.advance(Duration.ofHours(1));
        assertThat(b.claim("n", true)).isTrue();
        b.idle();
        assertThat(db.released).last().isEqualTo(new Released("b", "n", true, null));
        assertThat(nap.future()).isNotDone();
        a.engine.sharing().endedElsewhere("n");
        assertThat(nap.result(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(a.engine.sharing().awaitedElsewhere()).isEmpty();
    }

    @Test
    void anExecutionNotYetEndedElsewhereKeepsItsCallerWaiting() {
        SharedJournal.Process a = worker("a");
        Execution<Integer> nap = a.engine.start("nap", "n", 1);
        a.idle();
        a.engine.sharing().endedElsewhere("n");
        assertThat(nap.future()).isNotDone();
        assertThat(a.engine.sharing().awaitedElsewhere()).containsExactly("n");
        a.engine.sharing().endedElsewhere("never-started");
        assertThat(a.engine.sharing().awaitedElsewhere()).containsExactly("n");
    }

    @Test
    void aCallerOfAnExecutionLetGoHereLearnsItsResultWhenThisProcessClaimsAndRunsItAgain() {
        SharedJournal.Process a = worker("a");
        Execution<Integer> nap = a.engine.start("nap", "n", 2);
        a.idle();
        db.clock.advance(Duration.ofHours(2));
        assertThat(a.claim("n", true)).isTrue();
        assertThat(nap.result(Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(naps).hasValue(2);
        assertThat(a.engine.sharing().awaitedElsewhere()).isEmpty();
    }

    @Test
    void claimingAnExecutionThatEndedElsewhereCompletesTheCallerWaitingHere() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        Execution<Integer> nap = a.engine.start("nap", "n", 1);
        a.idle();
        db.clock.advance(Duration.ofHours(1));
        b.claim("n", true);
        b.idle();
        assertThat(a.claim("n", false)).isTrue();
        assertThat(nap.result(Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(a.engine.execution("n").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void aClientLetsGoOfWhatItStartsDueNowAndItsCallerLearnsTheResultWhenAWorkerEndsIt() {
        SharedJournal.Process client = client("client");
        SharedJournal.Process a = worker("a");
        Execution<String> greet = client.engine.start("greet", "g", "bo");
        client.idle();
        assertThat(db.released).containsExactly(new Released("client", "g", false, db.clock.now()));
        assertThat(db.owner("g")).isNull();
        assertThat(client.engine.sharing().holds("g")).isFalse();
        assertThat(client.engine.sharing().awaitedElsewhere()).containsExactly("g");
        assertThat(a.claim("g", true)).isTrue();
        a.idle();
        client.engine.sharing().endedElsewhere("g");
        assertThat(greet.result(Duration.ofSeconds(5))).isEqualTo("hello bo");
    }

    @Test
    void startingANameAnotherProcessStartedGivesThatExecutionIfTheStartIsTheSameAndAConflictIfNot() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("nap", "n", 1);
        a.idle();
        Execution<Integer> again = b.engine.start("nap", "n", 1);
        assertThat(again.name()).isEqualTo("n");
        assertThat(b.engine.sharing().holds("n")).isFalse();
        assertThat(b.engine.sharing().awaitedElsewhere()).containsExactly("n");
        assertThatThrownBy(() -> b.engine.start("nap", "n", 3))
                .isInstanceOf(ExecutionConflictException.class)
                .hasMessageContaining("already exists with a different input (journaled: 1, now: 3)");
        assertThatThrownBy(() -> b.engine.start("greet", "n", "x"))
                .isInstanceOf(ExecutionConflictException.class)
                .hasMessageContaining("already exists for function 'nap', not 'greet'");
        assertThat(naps).hasValue(1);
        // known here since the first start: the journal is not asked again
        assertThat(db.startsRefused).containsExactly("n");
        db.clock.advance(Duration.ofHours(1));
        a.claim("n", true);
        a.idle();
        b.engine.sharing().endedElsewhere("n");
        assertThat(again.result(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Test
    void startingANameThatEndedInAnotherProcessGivesItsResult() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("greet", "g", "cy").result(Duration.ofSeconds(5));
        a.idle();
        assertThat(b.engine.<String>start("greet", "g", "cy").result(Duration.ofSeconds(5)))
                .isEqualTo("hello cy");
        assertThat(b.engine.sharing().awaitedElsewhere()).isEmpty();
    }

    @Test
    void aProcessHoldsWhatItClaimedUntilItLetsGoAndClaimsNoExecutionTheJournalLacks() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("nap", "n", 1);
        a.idle();
        assertThat(b.claim("nope", true)).isFalse();
        assertThat(b.engine.sharing().holds("nope")).isFalse();
        assertThat(b.claim("n", false)).isTrue();
        assertThat(b.engine.sharing().holds("n")).isTrue();
        assertThat(b.engine.sharing().adopt("n", false)).isTrue(); // held already: still held, once
        assertThat(b.engine.list()).extracting(i -> i.name()).containsExactly("n");
        b.engine.sharing().letGo("n");
        assertThat(b.engine.sharing().holds("n")).isFalse();
        assertThat(db.released).last().isEqualTo(new Released("b", "n", false, db.clock.now()));
        assertThat(naps).hasValue(1);
        b.engine.sharing().letGo("n"); // not held: nothing to hand back
        assertThat(db.released).hasSize(2);
    }

    @Test
    void theRunnableFunctionsAreEveryRegisteredVersion() {
        SharedJournal.Process a = worker("a");
        assertThat(a.engine.sharing().runnableFunctions())
                .containsExactlyInAnyOrder(
                        "greet@1",
                        "quote@1",
                        "refuse@1",
                        "nap@1",
                        "approve@1",
                        "deadline@1",
                        "remind@1",
                        "patient@1",
                        "parent@1");
    }

    @Test
    void aCallbackCompletedThroughAProcessThatClaimedItsExecutionForTheChangeRunsItThere() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        Execution<String> approve = a.engine.start("approve", "o", "o");
        a.idle();
        assertThat(db.released).containsExactly(new Released("a", "o", false, null));
        assertThat(b.claim("o", false)).isTrue();
        b.engine.completeCallback(callbackOf.get("o"), "eve");
        b.idle();
        assertThat(db.released).last().isEqualTo(new Released("b", "o", true, null));
        a.engine.sharing().endedElsewhere("o");
        assertThat(approve.result(Duration.ofSeconds(5))).isEqualTo("approved by eve");
    }

    @Test
    void aProcessThatClaimsAnExecutionAgainSeesTheCallbacksAnotherProcessCompletedMeanwhile() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process client = client("client");
        a.engine.start("approve", "o", "o");
        a.idle();
        String id = callbackOf.get("o");
        assertThat(client.claim("o", false)).isTrue();
        client.engine.completeCallback(id, "eve");
        client.idle();
        assertThat(db.owner("o")).isNull();
        assertThat(a.claim("o", false)).isTrue();
        assertThatThrownBy(() -> a.engine.completeCallback(id, "zed"))
                .isInstanceOf(CallbackAlreadyCompletedException.class)
                .hasMessageContaining("this call changed nothing");
        a.engine.sharing().letGo("o");
        assertThat(a.claim("o", true)).isTrue();
        assertThat(a.engine.<String>execution("o").result(Duration.ofSeconds(5)))
                .isEqualTo("approved by eve");
    }

    @Test
    void aWaitingExecutionIsHandedBackDueAtItsEarliestCallbackDeadlineWhenThatComesFirst() {
        SharedJournal.Process a = worker("a");
        a.engine.start("remind", "r", "r");
        a.engine.start("patient", "p", "p");
        a.engine.start("deadline", "d", "d");
        a.idle();
        assertThat(db.released)
                .containsExactlyInAnyOrder(
                        new Released("a", "r", false, in(Duration.ofMinutes(30))),
                        new Released("a", "p", false, in(Duration.ofHours(1))),
                        new Released("a", "d", false, in(Duration.ofMinutes(10))));
    }

    @Test
    void aRunTheOwnerAsksToRunAgainRunsAgainBeforeItIsHandedBack() {
        SharedJournal.Process a = worker("a");
        a.answers.add(Ownership.Release.RUN_AGAIN);
        a.engine.start("nap", "n", 1);
        a.idle();
        assertThat(naps).hasValue(2);
        assertThat(db.released).hasSize(2).allMatch(r -> !r.ended());
        assertThat(db.owner("n")).isNull();
    }

    @Test
    void anExecutionWokenWhileItIsHandedBackAndKeptRunsAgainHere() {
        SharedJournal.Process a = worker("a");
        a.answers.add(Ownership.Release.KEEP);
        completeOnFirstRelease(a, "o", "kim");
        Execution<String> approve = a.engine.start("approve", "o", "o");
        assertThat(approve.result(Duration.ofSeconds(5))).isEqualTo("approved by kim");
        a.idle();
        assertThat(db.woken).isEmpty();
    }

    @Test
    void anExecutionWokenWhileItIsLetGoIsMadeDueForWhicheverProcessClaimsIt() {
        SharedJournal.Process a = worker("a");
        completeOnFirstRelease(a, "o", "kim");
        Execution<String> approve = a.engine.start("approve", "o", "o");
        a.idle();
        assertThat(db.woken).containsExactly("o");
        assertThat(approve.future()).isNotDone();
        assertThat(a.claim("o", true)).isTrue();
        assertThat(approve.result(Duration.ofSeconds(5))).isEqualTo("approved by kim");
    }

    private void completeOnFirstRelease(SharedJournal.Process p, String order, String who) {
        AtomicInteger releases = new AtomicInteger();
        p.releasing = () -> {
            if (releases.getAndIncrement() == 0) {
                p.engine.completeCallback(callbackOf.get(order), who);
            }
        };
    }

    @Test
    void aChildThatEndsWakesItsParentHeldByNoProcessSoThatAClaimOfTheParentFinishesIt() {
        SharedJournal.Process a = worker("a");
        Execution<String> parent = a.engine.start("parent", "p", "p");
        a.idle();
        String child = childOf("p");
        assertThat(db.owner("p")).isNull();
        db.clock.advance(Duration.ofHours(1));
        a.claim(child, true);
        a.idle();
        assertThat(db.woken).containsExactly("p");
        a.claim("p", true);
        assertThat(parent.result(Duration.ofSeconds(5))).isEqualTo("parent of 1");
    }

    @Test
    void aParentRunAgainInAProcessThatStillMirrorsItsChildSeesTheChildThatEndedInAnotherProcess() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        Execution<String> parent = a.engine.start("parent", "p", "p");
        a.idle();
        String child = childOf("p");
        // a caller in process a waits for the child, which a no longer holds: a keeps a mirror of it
        Execution<Integer> awaited = a.engine.execution(child);
        db.clock.advance(Duration.ofHours(1));
        b.claim(child, true);
        b.idle();
        assertThat(db.woken).containsExactly("p");
        assertThat(a.engine.execution(child).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        a.claim("p", true);
        a.idle();
        assertThat(parent.result(Duration.ofSeconds(5))).isEqualTo("parent of 1");
        assertThat(awaited.result(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Test
    void anOperatorFailsABlockedExecutionThroughTheProcessThatClaimsItAndItIsHandedBackBlockedUntilThen() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("nap", "n", 1);
        a.idle();
        dev.durable.ErrorInfo diverged = dev.durable.ErrorInfo.of("Diverged", "step 'x' is not in the code");
        b.claim("n", false);
        b.engine.sharing().blocked("n", null); // the journal's owner recorded no block: nothing changes
        assertThat(b.engine.execution("n").status()).isNotEqualTo(ExecutionStatus.BLOCKED);
        b.engine.sharing().blocked("n", diverged);
        assertThat(b.engine.list(ExecutionStatus.BLOCKED)).hasSize(1);
        b.engine.sharing().letGo("n");
        assertThat(db.blocked).containsEntry("n", diverged);
        assertThat(db.owner("n")).isNull();
        b.engine.sharing().blocked("n", diverged); // not held any more: nothing to mark
        b.claim("n", false);
        b.engine.sharing().blocked("n", diverged);
        b.engine.fail("n", "no fix coming");
        assertThat(b.engine.execution("n").status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(db.records.last("n").type()).isEqualTo(RecordType.EXECUTION_FINISHED);
    }

    @Test
    void cancellingAnExecutionWhoseLeaseWasLostSaysSoAndJournalsNothing() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.answers.add(Ownership.Release.KEEP);
        a.engine.start("approve", "o", "o");
        a.idle();
        assertThat(a.engine.sharing().holds("o")).isTrue();
        a.loseLease("o", b);
        assertThatThrownBy(() -> a.engine.cancel("o"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("a no longer owns execution 'o'");
        assertThat(db.records.last("o").type()).isNotEqualTo(RecordType.EXECUTION_FINISHED);
    }

    @Test
    void anOperatorsFailureInAProcessThatLostTheLeaseSaysSoAndJournalsNothing() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("nap", "n", 1);
        a.idle();
        b.claim("n", false);
        b.engine.sharing().blocked("n", dev.durable.ErrorInfo.of("Diverged", "step 'x' is not in the code"));
        b.loseLease("n", a);
        assertThatThrownBy(() -> b.engine.fail("n", "no fix coming"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("b no longer owns execution 'n'");
        assertThat(db.records.last("n").type()).isNotEqualTo(RecordType.EXECUTION_FINISHED);
    }

    @Test
    void aHistoryThatCannotBeReadLeavesTheExecutionUnfinishedAndDueNowRatherThanFailed() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        a.engine.start("nap", "n", 1);
        a.idle();
        db.clock.advance(Duration.ofHours(1));
        b.readsFail = true;
        b.claim("n", true);
        b.idle();
        assertThat(db.released).last().isEqualTo(new Released("b", "n", false, db.clock.now()));
        assertThat(db.records.last("n").type()).isNotEqualTo(RecordType.EXECUTION_FINISHED);
        b.readsFail = false;
        b.claim("n", true);
        b.idle();
        assertThat(db.released).last().isEqualTo(new Released("b", "n", true, null));
    }

    @Test
    void anEndTheDatabaseDidNotTakeLeavesTheCallerWaitingForTheRunThatEndsItLater() {
        SharedJournal.Process a = worker("a");
        SharedJournal.Process b = worker("b");
        Execution<Integer> nap = a.engine.start("nap", "n", 1);
        a.idle();
        db.clock.advance(Duration.ofHours(1));
        a.appendsFail = r -> r.type() == RecordType.EXECUTION_FINISHED;
        a.claim("n", true);
        a.idle();
        assertThat(db.released).last().isEqualTo(new Released("a", "n", false, db.clock.now()));
        assertThat(nap.future()).isNotDone();
        b.claim("n", true);
        b.idle();
        a.engine.sharing().endedElsewhere("n");
        assertThat(nap.result(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Test
    void aChildStartTheDatabaseDidNotTakeLeavesTheParentUnfinishedAndDueNow() {
        PluginHooksTest.Recorder plugin = new PluginHooksTest.Recorder();
        db.plugin = plugin;
        SharedJournal.Process a = worker("a");
        a.appendsFail = r ->
                r.type() == RecordType.EXECUTION_STARTED && !r.executionId().equals("p");
        a.engine.start("parent", "p", "p");
        a.idle();
        assertThat(db.released).containsExactly(new Released("a", "p", false, db.clock.now()));
        assertThat(db.records.executionIds()).containsExactly("p");
        assertThat(db.records.last("p").type()).isNotEqualTo(RecordType.EXECUTION_FINISHED);
        assertThat(plugin.matching("inv-end")).containsExactly("inv-end PENDING");
    }
}
