package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link CrashChild} over one journal again and again, killing it with SIGKILL after a seeded random number of
 * effects, and after every restart checks the guarantees against the effect log and the journal. Each round adds
 * two executions, so there is always work in flight to interrupt. Between rounds, while no child runs, this JVM
 * opens the journal as a second tool would and completes some of the pending callbacks. A last round runs without
 * a kill until every execution has ended; their results must equal those of uninterrupted runs. Or {@link #interrupt}
 * stops after the last kill, leaving a journal with executions in flight.
 */
final class CrashHarness {
    /** A kill comes after 1 to this many effect lines of a round. */
    private static final int MAX_EFFECTS_BEFORE_KILL = 90;

    private static final Set<String> AT_MOST_ONCE = Set.of("charge", "notify");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    private final List<String> jvmOptions;
    private final String mode;
    private final Path journal;
    private final Path effects;
    private final Random random;
    private final List<String> names = new ArrayList<>();
    private final Map<String, String> results = new HashMap<>();
    private final Set<String> completedByChild = new HashSet<>();
    private final Set<String> completedBySecondTool = new HashSet<>();
    private int kills;
    private int rounds;
    private int restartsWithPendingWork;

    private CrashHarness(String mode, List<String> jvmOptions, Path dir, long seed) {
        this.mode = mode;
        this.jvmOptions = jvmOptions;
        this.journal = dir.resolve("journal");
        this.effects = dir.resolve("effects.log");
        this.random = new Random(seed);
    }

    /** Through the generated {@code _Durable} proxies. */
    static CrashHarness proxy(Path dir, long seed) {
        return new CrashHarness("proxy", List.of(), dir, seed);
    }

    /** Through plain instances woven by the built agent jar (a copy of it, which no later build rewrites). */
    static CrashHarness agent(Path dir, long seed) throws IOException {
        Path agent = Files.copy(agentJar(), dir.resolve("durable-agent.jar"));
        return new CrashHarness("agent", List.of("-javaagent:" + agent), dir, seed);
    }

    /** The built agent jar, as the build passes it in {@code durable.agent.jar}. */
    private static Path agentJar() {
        String jar = System.getProperty("durable.agent.jar");
        if (jar == null || jar.isEmpty()) {
            throw new IllegalStateException("the system property durable.agent.jar is not set: run this test through"
                    + " Maven (mvn verify), which builds the agent first and passes the jar's path");
        }
        return Path.of(jar);
    }

    /**
     * What a run did, for the test's report.
     *
     * @param kills SIGKILLs
     * @param rounds child JVMs started
     * @param executions top-level executions started
     * @param completedBySecondTool callbacks completed by this JVM while no child ran
     * @param restartsWithPendingWork restarts that found executions running or waiting
     * @param rerunBodies step attempts whose body ran more than once (at-least-once steps cut short by a kill)
     * @param laterAtMostOnceAttempts at-most-once attempts after the first (the first interrupted by a kill)
     * @param tornTails torn tails that recovery cut off, keeping a copy
     */
    record Summary(
            int kills,
            int rounds,
            int executions,
            int completedBySecondTool,
            int restartsWithPendingWork,
            long rerunBodies,
            long laterAtMostOnceAttempts,
            long tornTails) {}

    /** Kills the child {@code killCount} times, then lets it finish; fails at the first broken guarantee. */
    Summary run(int killCount) throws Exception {
        killAtRandom(killCount);
        try (ChildJvm child = start()) {
            child.await("ALL-DONE"::equals);
            child.awaitCleanExit();
            collect(child);
        }
        rounds++;
        checkAfterRestart(true);
        assertThat(results).as("every execution ended").containsOnlyKeys(names);
        assertThat(results)
                .as("resumed executions return what uninterrupted ones do")
                .containsExactlyInAnyOrderEntriesOf(
                        uninterruptedResults(names, journal.resolveSibling("uninterrupted")));
        List<EffectLog.Line> runs = EffectLog.read(effects).stream()
                .filter(l -> l.kind().equals("run"))
                .toList();
        long rerunBodies = runs.size() - runs.stream().distinct().count();
        long laterAtMostOnceAttempts = runs.stream()
                .filter(l -> AT_MOST_ONCE.contains(l.subject())
                        && !l.value().equals("-")
                        && !l.value().equals("1"))
                .count();
        long tornTails;
        try (Stream<Path> files = Files.list(journal)) {
            tornTails = files.filter(f -> f.getFileName().toString().contains(".torn-"))
                    .count();
        }
        return new Summary(
                kills,
                rounds,
                names.size(),
                completedBySecondTool.size(),
                restartsWithPendingWork,
                rerunBodies,
                laterAtMostOnceAttempts,
                tornTails);
    }

    /**
     * Kills the child {@code killCount} times as {@link #run} does, the last time as soon as an execution has handed
     * out a callback, and stops there, with work in flight: that execution waits for its callback, the others are
     * wherever the kill found them. The journal is left as the last SIGKILL left it: nothing has opened it since, so
     * no recovery has cut off a torn tail. Returns the journal's directory.
     */
    Path interrupt(int killCount) throws Exception {
        killAtRandom(killCount - 1);
        addTwoExecutions();
        try (ChildJvm child = start()) {
            child.await(line -> line.startsWith("E callback "));
            child.kill();
            kills++;
            collect(child);
        }
        rounds++;
        return journal;
    }

    /**
     * Rounds of two new executions each, the child killed after a random number of effects (or let finish, when they
     * all end first), each followed by the checks of a restart, until {@code killCount} kills.
     */
    private void killAtRandom(int killCount) throws Exception {
        while (kills < killCount) {
            addTwoExecutions();
            try (ChildJvm child = start()) {
                if (rounds == 0) {
                    child.await("READY"::equals);
                    assertSecondOpenerIsRefused(child.pid());
                }
                int effectsBeforeKill = 1 + random.nextInt(MAX_EFFECTS_BEFORE_KILL);
                boolean finished = false;
                for (int i = 0; i < effectsBeforeKill && !finished; i++) {
                    String line = child.awaitAny(l -> l.startsWith("E ") || l.equals("ALL-DONE"));
                    finished = line == null || line.equals("ALL-DONE");
                }
                if (finished) {
                    child.awaitCleanExit();
                } else {
                    child.kill();
                    kills++;
                }
                collect(child);
            }
            rounds++;
            checkAfterRestart(false);
        }
    }

    private void addTwoExecutions() {
        names.add(String.format("order-%03d", names.size()));
        names.add(String.format("order-%03d", names.size()));
    }

    /**
     * A child on the test class path less the agent's jar (with the agent, the application sees it only as the
     * agent), compiling only with C1: it is short-lived, so it had better start fast than reach peak speed.
     */
    private ChildJvm start() throws IOException {
        return ChildJvm.builder(CrashChild.class)
                .jvmOptions("-XX:TieredStopAtLevel=1")
                .jvmOptions(jvmOptions)
                .classPathFilter(
                        entry -> !Path.of(entry).getFileName().toString().startsWith("durable-agent"))
                .args(mode, journal.toString(), effects.toString(), String.join(",", names))
                .timeout(CHILD_TIMEOUT)
                .start();
    }

    private void assertSecondOpenerIsRefused(long pid) {
        assertThatThrownBy(() -> LocalRuntime.open(journal).close())
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("in use by process " + pid);
    }

    /** Reads what the child printed: results, callbacks it completed, anything that must not happen. */
    private void collect(ChildJvm child) {
        for (String line : child.stdout()) {
            String[] parts = line.split(" ", 3);
            switch (parts[0]) {
                case "DONE" -> {
                    String earlier = results.putIfAbsent(parts[1], parts[2]);
                    if (earlier != null && !earlier.equals(parts[2])) {
                        fail("execution %s returned %s and after a restart %s", parts[1], earlier, parts[2]);
                    }
                }
                case "COMPLETED" -> {
                    if (completedBySecondTool.contains(parts[1])) {
                        fail(
                                "callback %s was completed by the second tool and again by the child: a lost update",
                                parts[1]);
                    }
                    completedByChild.add(parts[1]);
                }
                case "FAILED", "CALLBACK-ERROR", "NOT-WOVEN" -> fail("round %d: %s; %s", rounds, line, child);
                default -> {}
            }
        }
    }

    /**
     * Opens the journal (recovery runs here, as on any restart), holds the effect log against it, and completes
     * about half of the callbacks still pending, as a CLI would while the application is down.
     */
    private void checkAfterRestart(boolean last) throws IOException {
        List<EffectLog.Line> lines = EffectLog.read(effects);
        assertThat(EffectChecks.ofLog(lines, AT_MOST_ONCE))
                .as("round %d: effect log", rounds)
                .isEmpty();
        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            assertThat(EffectChecks.againstJournal(lines, runtime, AT_MOST_ONCE))
                    .as("round %d: effect log against the journal", rounds)
                    .isEmpty();
            for (Map.Entry<String, String> result : results.entrySet()) {
                ExecutionDetails d = runtime.describe(result.getKey());
                assertThat(d.info().status())
                        .as("execution %s", result.getKey())
                        .isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(d.result())
                        .as("journaled result of %s", result.getKey())
                        .isEqualTo(JSON.writeValueAsString(result.getValue()));
            }
            if (!runtime.list(ExecutionStatus.RUNNING, ExecutionStatus.WAITING).isEmpty()) {
                restartsWithPendingWork++;
            }
            if (!last) {
                completeSomeCallbacks(runtime, lines);
            }
        }
    }

    private void completeSomeCallbacks(LocalRuntime runtime, List<EffectLog.Line> lines) {
        for (EffectLog.Line line : lines) {
            String id = line.subject();
            // the first pending callback found is always taken, so that a run whose kills leave few pending
            // callbacks still completes one from outside; later ones are taken at random
            if (!line.kind().equals("callback")
                    || completedByChild.contains(id)
                    || completedBySecondTool.contains(id)
                    || (!completedBySecondTool.isEmpty() && random.nextBoolean())) {
                continue;
            }
            try {
                runtime.completeCallback(id, MixedWorkflow.approvalFor(line.execution()));
                completedBySecondTool.add(id);
            } catch (CallbackAlreadyCompletedException e) {
                // the child completed it and died before saying so
            }
        }
    }

    /**
     * The executions {@code names} of {@link MixedWorkflow} run once each, without a crash, through the generated
     * proxies in this JVM on a file journal in {@code dir}, their callbacks completed as soon as they are handed out:
     * what resumed executions must return, whatever runtime resumed them.
     */
    static Map<String, String> uninterruptedResults(List<String> names, Path dir) throws Exception {
        Map<String, String> uninterrupted = new ConcurrentHashMap<>();
        ExecutorService outside = Executors.newSingleThreadExecutor();
        try (EffectLog log = EffectLog.open(dir.resolveSibling(dir.getFileName() + "-effects.log"), false);
                LocalRuntime runtime = LocalRuntime.open(dir)) {
            log.onLine(line -> {
                if (line.kind().equals("callback")) {
                    outside.execute(() ->
                            runtime.completeCallback(line.subject(), MixedWorkflow.approvalFor(line.execution())));
                }
            });
            runtime.register(new MixedWorkflow_Durable(log));
            runtime.register(new Labeler_Durable(log));
            List<Execution<String>> executions = names.stream()
                    .map(name -> runtime.<String>start("mixed", name, name))
                    .collect(Collectors.toList());
            for (Execution<String> e : executions) {
                uninterrupted.put(e.name(), e.result(Duration.ofSeconds(60)));
            }
        } finally {
            outside.shutdownNow();
        }
        return uninterrupted;
    }
}
