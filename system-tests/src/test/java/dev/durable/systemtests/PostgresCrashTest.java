package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.local.testing.ChildJvm;
import dev.durable.runtime.postgres.PostgresExtension;
import dev.durable.runtime.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs of the PostgreSQL runtime killed with SIGKILL, and paused with SIGSTOP, while they share executions
 * through one database; this JVM is the outside world (a client that starts executions and completes callbacks).
 */
@ExtendWith(PostgresExtension.class)
class PostgresCrashTest {
    /** Short, so that a killed worker's executions move on quickly; long enough for a busy machine to renew. */
    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final int WORKERS = 3;
    /** A kill comes after 1 to this many effect lines (of all workers) since the last one. */
    private static final int MAX_EFFECTS_BEFORE_KILL = 40;
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(60);

    private final TestPostgres pg;
    @TempDir
    Path dir;

    PostgresCrashTest(TestPostgres pg) {
        this.pg = pg;
    }

    private ChildJvm worker(String mode, String schema, String id, Path effects, String... more) throws IOException {
        // the test JVM's class path, less the agent (these children run the generated proxies)
        List<String> args = new ArrayList<>(List.of(mode, pg.jdbcUrl(), schema, id, effects.toString(),
                Long.toString(LEASE.toMillis())));
        args.addAll(List.of(more));
        return ChildJvm.builder(PostgresWorkerChild.class)
                .jvmOptions("-XX:TieredStopAtLevel=1", "-Xmx256m", "-XX:+UseSerialGC")
                .classPathFilter(entry -> !Path.of(entry).getFileName().toString().startsWith("durable-agent"))
                .args(args)
                .timeout(PROGRESS_TIMEOUT)
                .start();
    }

    /**
     * Three worker JVMs run {@link MixedWorkflow} executions (the generated proxies, as the file-journal harness
     * runs them); a seeded random worker is killed after a seeded random number of effect lines and started again
     * under the same id, {@code durable.crash.kills} times (25 by default, 200 in the nightly profile); the new worker
     * starts one more execution (and makes sure the earlier ones are started), so that work is always in flight. Then the workers run until every
     * execution has ended, and {@link PostgresMixedRun#verify()} checks every guarantee: no at-most-once attempt
     * started twice, every acknowledged step in the database, each callback completion won exactly once, results
     * equal to uninterrupted runs.
     */
    @Test
    void workersKilledAtRandomPointsLoseNothingAcknowledged() throws Exception {
        int killTarget = Integer.getInteger("durable.crash.kills", 25);
        Random random = new Random(Long.getLong("durable.crash.seed", 20240611L));
        long began = System.nanoTime();
        ChildJvm[] workers = new ChildJvm[WORKERS];
        int kills = 0;
        int killsHoldingWork = 0;
        try (PostgresMixedRun run = new PostgresMixedRun(pg, dir)) {
            String names = String.join(",", run.add(6));
            for (int i = 0; i < WORKERS; i++) {
                workers[i] = worker("mixed", run.schema, "w" + i, run.effects, names);
            }
            int seen = 0;
            while (kills < killTarget) {
                seen = run.awaitEffects(seen + 1 + random.nextInt(MAX_EFFECTS_BEFORE_KILL), PROGRESS_TIMEOUT);
                int victim = random.nextInt(WORKERS);
                ChildJvm old = workers[victim];
                old.await("READY"); // a kill while it still starts proves nothing
                if (run.owners().contains("w" + victim)) {
                    killsHoldingWork++;
                }
                old.kill();
                kills++;
                workers[victim] = worker("mixed", run.schema, "w" + victim, run.effects,
                        String.join(",", run.add(1)));
            }
            run.awaitAllEnded(Duration.ofSeconds(120));
            int callbacks = run.verify();
            System.out.printf("PostgreSQL crash run: %d kills (%d of workers holding executions), %d executions,"
                    + " %d callbacks, %.1f s%n", kills, killsHoldingWork, run.add(0).size(), callbacks,
                    (System.nanoTime() - began) / 1e9);
            assertThat(killsHoldingWork).as("kills of a worker that held executions").isPositive();
        } finally {
            for (ChildJvm w : workers) {
                if (w != null) {
                    w.close();
                }
            }
        }
    }
}
