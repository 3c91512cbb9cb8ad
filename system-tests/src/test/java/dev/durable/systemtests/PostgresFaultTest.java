package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.durable.ManualClock;
import dev.durable.runtime.postgres.PostgresExtension;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the database under workers of the PostgreSQL runtime that run in this JVM (three runtimes with workers
 * ids of their own and pools of their own): the server killed and restarted, connections cut, and a storm of timers
 * that fall due at one instant.
 */
@ExtendWith(PostgresExtension.class)
class PostgresFaultTest {
    private static final Duration LEASE = Duration.ofMillis(1500);

    private final TestPostgres pg;
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    PostgresFaultTest(TestPostgres pg) {
        this.pg = pg;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private PostgresRuntime worker(String schema, String id, int threads, ManualClock clock) {
        return worker(schema, id, threads, clock, LEASE);
    }

    private PostgresRuntime worker(String schema, String id, int threads, ManualClock clock, Duration lease) {
        HikariConfig config = pg.poolConfig();
        config.setMaximumPoolSize(8);
        config.setPoolName("pool-" + id);
        HikariDataSource ds = new HikariDataSource(config);
        open.add(ds);
        PostgresRuntime.Builder b = PostgresRuntime.builder()
                .dataSource(ds)
                .schema(schema)
                .workerId(id)
                .lease(lease)
                .pollInterval(Duration.ofMillis(100))
                .threads(threads);
        if (clock != null) {
            b.clock(clock);
        }
        PostgresRuntime r = b.open();
        open.add(r);
        return r;
    }

    /** Three workers on the run's schema, twelve executions started over them, run up to the first effects. */
    private PostgresMixedRun startMixed() throws Exception {
        PostgresMixedRun run = new PostgresMixedRun(pg, dir);
        open.add(run);
        EffectLog log = EffectLog.open(run.effects, false);
        open.add(log);
        List<PostgresRuntime> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PostgresRuntime w = worker(run.schema, "w" + i, 8, null);
            w.register(new MixedWorkflow_Durable(log));
            w.register(new Labeler_Durable(log));
            workers.add(w);
        }
        List<String> names = run.add(12);
        for (int i = 0; i < names.size(); i++) {
            workers.get(i % workers.size()).start("mixed", names.get(i), names.get(i));
        }
        run.awaitEffects(60, Duration.ofSeconds(60));
        return run;
    }

    /**
     * The server killed ({@code pg_ctl stop -m immediate}, no checkpoint) while workers run, and started again:
     * the workers reconnect, every execution ends with the result of an uninterrupted run and nothing acknowledged
     * before the kill is lost.
     */
    @Test
    void workersCarryOnAfterTheServerIsKilledMidRun() throws Exception {
        PostgresMixedRun run = startMixed();
        pg.stopImmediate();
        pg.restart();
        run.awaitAllEnded(Duration.ofSeconds(120));
        run.verify();
    }

    /** Every connection of the workers cut at once, twice, while they run: they reconnect and lose nothing. */
    @Test
    void workersCarryOnAfterTheirConnectionsAreCutMidRun() throws Exception {
        PostgresMixedRun run = startMixed();
        assertThat(pg.terminateBackends()).as("connections cut").isPositive();
        int seen = run.awaitEffects(run.pump().size() + 30, Duration.ofSeconds(60));
        pg.terminateBackends();
        run.awaitAllEnded(Duration.ofSeconds(120));
        run.verify();
        assertThat(seen).isPositive();
    }

    /**
     * A storm of timers: {@code durable.pg.storm.size} executions (10,000 by default) wait until one instant of a
     * {@link ManualClock} shared by three workers, which then moves past it at once; each resumes exactly once (its
     * step after the wait runs once) and succeeds, and the step before the wait never runs again.
     */
    @Test
    void timersFallingDueAtOneInstantEachResumeOnce() throws Exception {
        int size = Integer.getInteger("durable.pg.storm.size", 10_000);
        String schema = pg.freshSchema();
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Instant due = clock.now().plus(Duration.ofHours(1));
        Map<String, AtomicInteger> before = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> after = new ConcurrentHashMap<>();
        List<PostgresRuntime> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // the default lease: this test is about timers, and a lease that runs out under load would legitimately
            // run an at-least-once step again on another worker
            PostgresRuntime w = worker(schema, "s" + i, 32, clock, PostgresRuntime.DEFAULT_LEASE);
            w.register("storm", String.class, String.class, (in, ctx) -> {
                String me = ctx.executionName();
                ctx.step("before", String.class, s -> {
                    before.computeIfAbsent(me, k -> new AtomicInteger()).incrementAndGet();
                    return "b";
                });
                ctx.waitUntil("due", due);
                return ctx.step("after", String.class, s -> {
                    after.computeIfAbsent(me, k -> new AtomicInteger()).incrementAndGet();
                    return "woke " + me;
                });
            });
            workers.add(w);
        }
        long began = System.nanoTime();
        ExecutorService starters = Executors.newFixedThreadPool(24);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String name = "s-" + i;
                PostgresRuntime w = workers.get(i % workers.size());
                starts.add(starters.submit(() -> w.start("storm", name, name)));
            }
            for (Future<?> f : starts) {
                f.get();
            }
        } finally {
            starters.shutdown();
        }
        HikariDataSource ds = (HikariDataSource) open.get(0);
        String count = "SELECT count(*) FROM " + schema + ".executions WHERE ";
        awaitCount(ds, count + "status = 'WAITING' AND owner IS NULL", size, Duration.ofSeconds(120));
        long waiting = System.nanoTime();
        assertThat(after).as("steps after the wait before it fell due").isEmpty();

        clock.advance(Duration.ofHours(1));
        awaitCount(ds, count + "status = 'SUCCEEDED' AND owner IS NULL", size, Duration.ofSeconds(120));
        long resumed = System.nanoTime();

        assertThat(after).hasSize(size);
        assertThat(after.values().stream().filter(n -> n.get() != 1).count())
                .as("executions resumed more than once")
                .isZero();
        assertThat(before.values().stream().filter(n -> n.get() != 1).count())
                .as("executions whose step before the wait ran again")
                .isZero();
        System.out.printf(
                "timer storm of %d: all waiting after %.1f s, all resumed %.1f s after the instant%n",
                size, (waiting - began) / 1e9, (resumed - waiting) / 1e9);
    }

    private static void awaitCount(HikariDataSource ds, String sql, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = -1;
        while (System.nanoTime() - deadline < 0) {
            try (var c = ds.getConnection();
                    var st = c.createStatement();
                    var rs = st.executeQuery(sql)) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n == expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(sql + " gave " + n + ", not " + expected + ", within " + timeout);
    }
}
