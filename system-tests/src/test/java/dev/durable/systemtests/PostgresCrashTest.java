package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.durable.runtime.local.testing.ChildJvm;
import dev.durable.runtime.postgres.PostgresExtension;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        List<String> args = new ArrayList<>(
                List.of(mode, pg.jdbcUrl(), schema, id, effects.toString(), Long.toString(LEASE.toMillis())));
        args.addAll(List.of(more));
        return ChildJvm.builder(PostgresWorkerChild.class)
                .jvmOptions("-XX:TieredStopAtLevel=1", "-Xmx256m", "-XX:+UseSerialGC")
                .classPathFilter(
                        entry -> !Path.of(entry).getFileName().toString().startsWith("durable-agent"))
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
                workers[victim] = worker("mixed", run.schema, "w" + victim, run.effects, String.join(",", run.add(1)));
            }
            run.awaitAllEnded(Duration.ofSeconds(120));
            int callbacks = run.verify();
            System.out.printf(
                    "PostgreSQL crash run: %d kills (%d of workers holding executions), %d executions,"
                            + " %d callbacks, %.1f s%n",
                    kills, killsHoldingWork, run.add(0).size(), callbacks, (System.nanoTime() - began) / 1e9);
            assertThat(killsHoldingWork)
                    .as("kills of a worker that held executions")
                    .isPositive();
        } finally {
            for (ChildJvm w : workers) {
                if (w != null) {
                    w.close();
                }
            }
        }
    }

    /**
     * A worker frozen with SIGSTOP inside a step, past its lease: another worker claims the execution and finishes
     * it; when the frozen one goes on (SIGCONT), its step returns and its append is refused: no record, no change of
     * status, epoch or result (the database keeps the new owner's), its handler is unwound with the lease lost and
     * runs no further step, and closing it later changes nothing either.
     */
    @Test
    void aWorkerPausedPastItsLeaseWritesNothingAfterAnotherFinishedItsExecution() throws Exception {
        String schema = pg.freshSchema();
        Path effects = dir.resolve("zombie-effects.log");
        HikariConfig config = pg.poolConfig();
        config.setMaximumPoolSize(6);
        AtomicInteger bodiesOnB = new AtomicInteger();
        try (HikariDataSource ds = new HikariDataSource(config);
                ChildJvm zombie = worker("zombie", schema, "zombie", effects, "700", "z-1")) {
            zombie.await("STARTED z-1");
            awaitLine(effects, "run z-1 slow 1");
            signal("STOP", zombie.pid());
            try (PostgresRuntime b = PostgresRuntime.builder()
                    .dataSource(ds)
                    .schema(schema)
                    .workerId("b")
                    .lease(LEASE)
                    .pollInterval(Duration.ofMillis(50))
                    .open()) {
                b.register("slow", String.class, String.class, (in, ctx) -> {
                    String slow = ctx.step("slow", String.class, s -> {
                        bodiesOnB.incrementAndGet();
                        return "slow-by-b";
                    });
                    return ctx.step("second", String.class, s -> slow + "+second-by-b");
                });
                assertThat(b.<String>execution("z-1").result(PROGRESS_TIMEOUT)).isEqualTo("slow-by-b+second-by-b");
            }
            String before = row(ds, schema);
            assertThat(before).startsWith("SUCCEEDED|\"slow-by-b+second-by-b\"|null|");

            signal("CONT", zombie.pid());
            String unwound = zombie.await("UNWOUND z-1");
            assertThat(unwound).contains("LeaseLostException");
            assertThat(row(ds, schema))
                    .as("the execution after the paused worker's append")
                    .isEqualTo(before);
            zombie.closeInput();
            zombie.awaitCleanExit();
            assertThat(row(ds, schema))
                    .as("the execution after the paused worker closed")
                    .isEqualTo(before);

            List<String> lines = EffectLog.read(effects).stream()
                    .map(l -> l.kind() + " " + l.subject())
                    .toList();
            assertThat(lines).as("what the paused worker did").containsExactly("run slow", "run slow-end");
            assertThat(bodiesOnB).as("runs of the step on the new owner").hasValue(1);
        }
    }

    /** Status, result, owner, epoch, last seq and record count of z-1. */
    private static String row(HikariDataSource ds, String schema) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status || '|' || coalesce(result, 'null') || '|'"
                        + " || coalesce(owner, 'null') || '|' || epoch || '|' || last_seq || '|'"
                        + " || (SELECT count(*) FROM " + schema + ".records WHERE execution = 'z-1')"
                        + " FROM " + schema + ".executions WHERE name = 'z-1'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void awaitLine(Path effects, String text) throws Exception {
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        while (EffectLog.read(effects).stream()
                .noneMatch(l -> (l.kind() + " " + l.execution() + " " + l.subject() + " " + l.value()).equals(text))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no effect line '" + text + "' within " + PROGRESS_TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                .as("kill -%s %d", signal, pid)
                .isTrue();
    }
}
