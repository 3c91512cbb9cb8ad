package dev.durable.runtime.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.DurableCallback;
import dev.durable.Execution;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.JournalCommit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestPostgres pg;
    private final DataSource ds;
    private String schema;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<PostgresRuntime> open = new ArrayList<>();

    PostgresRuntimeTest(TestPostgres pg) {
        this.pg = pg;
        this.ds = pg.dataSource();
    }

    @BeforeEach
    void schema() {
        schema = pg.freshSchema();
    }

    @AfterEach
    void closeAll() {
        open.forEach(PostgresRuntime::close);
    }

    private PostgresRuntime worker(String id) {
        // each worker with its own pool, as separate processes would have
        PostgresRuntime r = PostgresRuntime.builder()
                .url(pg.jdbcUrl())
                .schema(schema)
                .workerId(id)
                .clock(clock)
                .pollInterval(Duration.ofMillis(50))
                .lease(Duration.ofSeconds(2))
                .open();
        open.add(r);
        return r;
    }

    private PostgresRuntime client() {
        PostgresRuntime r = PostgresRuntime.builder()
                .url(pg.jdbcUrl())
                .schema(schema)
                .workerId("client")
                .clock(clock)
                .runHandlers(false)
                .open();
        open.add(r);
        return r;
    }

    private Object column(String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql.replace("$s", schema))) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    private int update(String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            return s.executeUpdate(sql.replace("$s", schema));
        }
    }

    @Test
    void anExecutionRunsToItsResultAndEveryRecordIsInTheDatabase() throws Exception {
        PostgresRuntime w = worker("w1");
        w.register("greet", String.class, String.class, (name, ctx) -> {
            String a = ctx.step("hello", String.class, s -> "hello " + name);
            return ctx.step("shout", String.class, s -> a.toUpperCase());
        });
        Execution<String> e = w.start("greet", "g-1", "ada");

        assertThat(e.result(WAIT)).isEqualTo("HELLO ADA");
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'g-1'"))
                .isEqualTo("SUCCEEDED");
        assertThat(column("SELECT result FROM $s.executions WHERE name = 'g-1'"))
                .isEqualTo("\"HELLO ADA\"");
        assertThat(column("SELECT owner FROM $s.executions WHERE name = 'g-1'")).isNull();
        // started, each step's start and result would differ by kind; at least the start, two steps and the end
        assertThat((Long) column("SELECT count(*) FROM $s.records WHERE execution = 'g-1'"))
                .isGreaterThanOrEqualTo(4);
        assertThat(column("SELECT last_seq = (SELECT max(seq) FROM $s.records WHERE execution = 'g-1')"
                        + " FROM $s.executions WHERE name = 'g-1'"))
                .isEqualTo(true);
        assertThat(w.list(ExecutionStatus.SUCCEEDED))
                .extracting(ExecutionInfo::name)
                .containsExactly("g-1");
        assertThat(w.history("g-1")).isNotEmpty();
    }

    @Test
    void pluginsHearOfEachTransactionThatMadeRecordsDurable() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicInteger commits = new AtomicInteger();
        PostgresRuntime w = PostgresRuntime.builder()
                .url(pg.jdbcUrl())
                .schema(schema)
                .workerId("w1")
                .clock(clock)
                .plugin(new DurablePlugin() {
                    @Override
                    public void onJournalCommit(JournalCommit commit) {
                        committed.addAndGet(commit.records());
                        commits.incrementAndGet();
                    }
                })
                .open();
        open.add(w);
        w.register("count", Integer.class, Integer.class, (n, ctx) -> {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                int v = i;
                sum += ctx.step("s", Integer.class, s -> v);
            }
            return sum;
        });
        for (int k = 0; k < 5; k++) {
            w.start("count", "c-" + k, 4);
        }
        for (int k = 0; k < 5; k++) {
            assertThat(w.<Integer>execution("c-" + k).result(WAIT)).isEqualTo(6);
        }
        w.close(); // the commit thread tells plugins after acknowledging: closed, it has told them all
        // every record in the table was made durable by a transaction a plugin heard of, and counted once
        assertThat(committed.get())
                .isEqualTo((Long) column("SELECT count(*) FROM $s.records WHERE execution LIKE 'c-%'"));
        assertThat(commits.get()).isPositive().isLessThanOrEqualTo((int) committed.get());
    }

    @Test
    void aWaitingExecutionHoldsNoLeaseAndAnotherWorkerResumesItWhenItFallsDue() throws Exception {
        AtomicInteger firstSteps = new AtomicInteger();
        PostgresRuntime a = worker("a");
        a.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.step("before", String.class, s -> {
                firstSteps.incrementAndGet();
                return "x";
            });
            ctx.wait("nap", Duration.ofHours(1));
            return ctx.step("after", String.class, s -> "woke on " + ctx.executionName());
        });
        a.start("nap", "n-1", "in");
        assertThat(a.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'n-1'"))
                .isEqualTo("WAITING");
        assertThat(column("SELECT owner FROM $s.executions WHERE name = 'n-1'")).isNull();
        assertThat(column("SELECT wake_at = timestamptz '2026-01-01T01:00:00Z' FROM $s.executions"
                        + " WHERE name = 'n-1'"))
                .isEqualTo(true);
        a.close();

        PostgresRuntime b = worker("b");
        b.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.step("before", String.class, s -> {
                throw new AssertionError("a journaled step runs again");
            });
            ctx.wait("nap", Duration.ofHours(1));
            return ctx.step("after", String.class, s -> "woke on b");
        });
        assertThat(b.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'n-1'"))
                .isEqualTo("WAITING");

        clock.advance(Duration.ofHours(1));
        assertThat(b.<String>execution("n-1").result(WAIT)).isEqualTo("woke on b");
        assertThat(firstSteps).hasValue(1);
    }

    @Test
    void aClientThatRunsNoHandlersCompletesACallbackAndTheWorkerResumes() throws Exception {
        PostgresRuntime w = worker("w");
        AtomicReference<String> id = new AtomicReference<>();
        w.register("approve", String.class, String.class, (in, ctx) -> {
            DurableCallback<String> cb = ctx.createCallback("approval", String.class, CallbackConfig.defaults());
            ctx.step("send", String.class, s -> {
                id.set(cb.id());
                return cb.id();
            });
            return "approved by " + cb.get();
        });
        Execution<String> e = w.start("approve", "ap-1", "doc");
        assertThat(w.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT execution FROM $s.callbacks WHERE id = '" + id.get() + "'"))
                .isEqualTo("ap-1");

        PostgresRuntime client = client();
        client.completeCallback(id.get(), "grace");

        assertThat(e.result(WAIT)).isEqualTo("approved by grace");
        assertThatThrownBy(() -> client.completeCallback(id.get(), "again"))
                .isInstanceOf(CallbackAlreadyCompletedException.class);
        assertThatThrownBy(() -> client.completeCallback("0123456789abcdef0123456789abcdef", "x"))
                .isInstanceOf(UnknownCallbackException.class);
        assertThat(client.<String>execution("ap-1").result(WAIT)).isEqualTo("approved by grace");
    }

    @Test
    void aCallerOnOneWorkerLearnsTheResultOfAnExecutionThatEndsOnAnother() throws Exception {
        PostgresRuntime a = worker("a");
        PostgresRuntime b = worker("b");
        for (PostgresRuntime r : List.of(a, b)) {
            r.register("nap", String.class, String.class, (in, ctx) -> {
                ctx.wait("nap", Duration.ofMinutes(5));
                return "done " + in;
            });
        }
        a.start("nap", "x-1", "in");
        assertThat(a.awaitIdle(WAIT)).isTrue();
        Execution<String> seenFromClient = client().execution("x-1");
        clock.advance(Duration.ofMinutes(5));
        assertThat(seenFromClient.result(WAIT)).isEqualTo("done in");
    }

    @Test
    void startingTheSameNameOnTwoWorkersMakesOneExecution() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PostgresRuntime a = worker("a");
        PostgresRuntime b = worker("b");
        for (PostgresRuntime r : List.of(a, b)) {
            r.register(
                    "once",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.step("count", String.class, s -> "run " + runs.incrementAndGet()));
        }
        Execution<String> first = a.start("once", "o-1", "same");
        Execution<String> second = b.start("once", "o-1", "same");

        assertThat(first.result(WAIT)).isEqualTo("run 1");
        assertThat(second.result(WAIT)).isEqualTo("run 1");
        assertThat(runs).hasValue(1);
        assertThatThrownBy(() -> b.start("once", "o-1", "other input")).hasMessageContaining("different input");
        assertThat(column("SELECT count(*) FROM $s.executions")).isEqualTo(1L);
    }

    @Test
    void aWorkerWhoseLeaseWasTakenWritesNothingMore() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PostgresRuntime a = worker("a");
        a.register("slow", String.class, String.class, (in, ctx) -> {
            ctx.step("slow", String.class, s -> {
                inStep.countDown();
                release.await();
                return "late";
            });
            return "finished by a";
        });
        a.start("slow", "s-1", "in");
        assertThat(inStep.await(30, TimeUnit.SECONDS)).isTrue();
        long before = (Long) column("SELECT count(*) FROM $s.records WHERE execution = 's-1'");
        // another worker's claim: the epoch moves on
        assertThat(update("UPDATE $s.executions SET epoch = epoch + 1, owner = 'b' WHERE name = 's-1'"))
                .isEqualTo(1);
        release.countDown();

        assertThat(a.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT count(*) FROM $s.records WHERE execution = 's-1'"))
                .isEqualTo(before);
        assertThat(column("SELECT status FROM $s.executions WHERE name = 's-1'"))
                .isEqualTo("RUNNING");
        assertThat(column("SELECT owner FROM $s.executions WHERE name = 's-1'")).isEqualTo("b");
    }

    @Test
    void aKilledWorkersExecutionContinuesElsewhereOnceItsLeaseRunsOut() throws Exception {
        // a worker that claimed an execution and vanished: its row says RUNNING with a lease that has run out
        PostgresRuntime a = worker("a");
        a.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.wait("nap", Duration.ofMinutes(1));
            return "done";
        });
        a.start("nap", "k-1", "in");
        assertThat(a.awaitIdle(WAIT)).isTrue();
        a.close();
        update("UPDATE $s.executions SET status = 'RUNNING', owner = 'dead', epoch = epoch + 1,"
                + " lease_until = now() - interval '1 second', wake_at = NULL WHERE name = 'k-1'");

        PostgresRuntime b = worker("b");
        b.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.wait("nap", Duration.ofMinutes(1));
            return "done on b";
        });
        assertThat(b.awaitIdle(WAIT)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(b.<String>execution("k-1").result(WAIT)).isEqualTo("done on b");
    }

    @Test
    void aWaitingExecutionIsCancelledFromAClient() throws Exception {
        PostgresRuntime w = worker("w");
        w.register("nap", String.class, String.class, (in, ctx) -> {
            ctx.wait("nap", Duration.ofDays(1));
            return "done";
        });
        Execution<String> e = w.start("nap", "c-1", "in");
        assertThat(w.awaitIdle(WAIT)).isTrue();

        PostgresRuntime client = client();
        assertThat(client.cancel("c-1")).isTrue();
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'c-1'"))
                .isEqualTo("CANCELLED");
        assertThat(client.cancel("c-1")).isFalse();
        assertThat(client.describe("c-1").info().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThatThrownBy(() -> e.result(WAIT)).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> client.cancel("nope")).isInstanceOf(UnknownExecutionException.class);
    }

    @Test
    void executionsSpreadOverWorkersAndEachRunsOnce() throws Exception {
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        AtomicInteger bodies = new AtomicInteger();
        List<PostgresRuntime> workers = List.of(worker("a"), worker("b"), worker("c"));
        for (PostgresRuntime r : workers) {
            String id = r.workerId();
            r.register("job", Integer.class, Integer.class, (n, ctx) -> {
                ctx.wait("queue", Duration.ofSeconds(1));
                return ctx.step("work", Integer.class, s -> {
                    bodies.incrementAndGet();
                    ranOn.put("job-" + n, id);
                    return n * 2;
                });
            });
        }
        PostgresRuntime client = client();
        for (int i = 0; i < 60; i++) {
            workers.get(0).start("job", "job-" + i, i);
        }
        for (PostgresRuntime r : workers) {
            assertThat(r.awaitIdle(WAIT)).isTrue();
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 60; i++) {
            assertThat(client.<Integer>execution("job-" + i).result(WAIT)).isEqualTo(i * 2);
        }
        assertThat(bodies).hasValue(60);
        assertThat(new java.util.HashSet<>(ranOn.values())).hasSizeGreaterThan(1);
    }

    @Test
    void aClientStartsAnExecutionThatAWorkerRuns() throws Exception {
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        PostgresRuntime client = client();
        client.register(
                "where",
                String.class,
                String.class,
                (in, ctx) -> ctx.step("run", String.class, s -> {
                    ranOn.put(in, "client");
                    return "client";
                }));
        Execution<String> e = client.start("where", "cl-1", "in");
        PostgresRuntime w = worker("w");
        w.register(
                "where",
                String.class,
                String.class,
                (in, ctx) -> ctx.step("run", String.class, s -> {
                    ranOn.put(in, "w");
                    return "w";
                }));

        assertThat(e.result(WAIT)).isEqualTo("w");
        assertThat(ranOn).containsExactly(Map.entry("in", "w"));
    }

    @Test
    void aWorkerRenewsOnlyTheLeasesItHoldsSoThatARowItLetGoOfMovesOn() throws Exception {
        PostgresRuntime a = worker("a");
        CountDownLatch done = new CountDownLatch(1);
        a.register(
                "hold",
                String.class,
                String.class,
                (in, ctx) -> ctx.step("block", String.class, s -> {
                    done.await();
                    return "x";
                }));
        try {
            a.start("hold", "h-1", "in");
            // a row still naming worker a that a let go of, as after a release the database did not acknowledge
            update("INSERT INTO $s.executions (name, function, version, input, status, started_at, epoch, owner,"
                    + " lease_until, last_seq) VALUES ('stray', 'other', 1, '\"in\"', 'RUNNING', now(), 1, 'a',"
                    + " timestamptz '2000-01-01T00:00:00Z', 0)");
            Object first = column("SELECT lease_until FROM $s.executions WHERE name = 'h-1'");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (column("SELECT lease_until FROM $s.executions WHERE name = 'h-1'")
                    .equals(first)) {
                assertThat(System.nanoTime() - deadline).as("a renewal of h-1").isNegative();
                Thread.sleep(20);
            }
            assertThat(column("SELECT lease_until = timestamptz '2000-01-01T00:00:00Z' FROM $s.executions"
                            + " WHERE name = 'stray'"))
                    .as("the lease of a row not held")
                    .isEqualTo(true);
        } finally {
            done.countDown();
        }
    }
}
