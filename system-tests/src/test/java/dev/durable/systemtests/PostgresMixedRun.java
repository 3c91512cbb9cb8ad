package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.UnknownCallbackException;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * {@link MixedWorkflow} executions on a PostgreSQL schema, as the outside world sees them: this JVM names them (the
 * workers start them: a client cannot start a function it does not register) and completes every callback handed
 * out from two clients that run no handlers, at once, so that the two completions race. Whoever runs the handlers (worker JVMs, workers in this JVM) shares the effect log.
 * At the end, {@link #verify()} holds the effect log and the database against each other and against uninterrupted
 * runs.
 */
final class PostgresMixedRun implements AutoCloseable {
    static final Set<String> AT_MOST_ONCE = Set.of("charge", "notify");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a completion keeps trying while its callback is not in the database yet or the execution is busy. */
    private static final Duration COMPLETION_DEADLINE = Duration.ofSeconds(60);

    final String schema;
    final Path effects;
    private final Path dir;
    private final HikariDataSource ds;
    private final PostgresRuntime clientA;
    private final PostgresRuntime clientB;
    private final ExecutorService completer = Executors.newFixedThreadPool(4);
    private final List<String> names = new ArrayList<>();
    private final Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> already = new ConcurrentHashMap<>();
    private final Map<String, String> gaveUp = new ConcurrentHashMap<>();
    private int linesSeen;

    PostgresMixedRun(TestPostgres pg, Path dir) {
        this.dir = dir;
        this.schema = pg.freshSchema();
        this.effects = dir.resolve("effects.log");
        HikariConfig config = pg.poolConfig();
        config.setMaximumPoolSize(10);
        config.setPoolName("mixed-run-clients");
        this.ds = new HikariDataSource(config);
        this.clientA = client("client-a");
        this.clientB = client("client-b");
    }

    private PostgresRuntime client(String id) {
        return PostgresRuntime.builder()
                .dataSource(ds)
                .schema(schema)
                .workerId(id)
                .runHandlers(false)
                .pollInterval(Duration.ofMillis(100))
                .open();
    }

    /** The clients' pool, for reading the database. */
    HikariDataSource dataSource() {
        return ds;
    }

    /** Names {@code count} more executions, {@code order-NNN}, for the workers to start; returns all names. */
    List<String> add(int count) {
        for (int i = 0; i < count; i++) {
            names.add(String.format("order-%03d", names.size()));
        }
        return List.copyOf(names);
    }

    /** Whether every named execution is in the database and has ended. */
    boolean allStartedAndEnded() {
        return unfinished().isEmpty()
                && query("SELECT name FROM " + schema + ".executions WHERE function = 'mixed'")
                        .containsAll(names);
    }

    int started() {
        return names.size();
    }

    /** The effect lines so far; hands the callbacks among the new ones to the completer. */
    List<EffectLog.Line> pump() throws IOException {
        List<EffectLog.Line> lines = EffectLog.read(effects);
        for (EffectLog.Line line : lines.subList(Math.min(linesSeen, lines.size()), lines.size())) {
            if (line.kind().equals("callback") && !wins.containsKey(line.subject())) {
                wins.put(line.subject(), new AtomicInteger());
                already.put(line.subject(), new AtomicInteger());
                for (PostgresRuntime client : List.of(clientA, clientB)) {
                    completer.execute(() -> complete(client, line));
                }
            }
        }
        linesSeen = lines.size();
        return lines;
    }

    /** Completes one callback, trying again while it is not known yet or its execution is busy elsewhere. */
    private void complete(PostgresRuntime client, EffectLog.Line callback) {
        long deadline = System.nanoTime() + COMPLETION_DEADLINE.toNanos();
        long backoff = 10;
        while (true) {
            try {
                client.completeCallback(callback.subject(), MixedWorkflow.approvalFor(callback.execution()));
                wins.get(callback.subject()).incrementAndGet();
                return;
            } catch (CallbackAlreadyCompletedException e) {
                already.get(callback.subject()).incrementAndGet();
                return;
            } catch (UnknownCallbackException | IllegalStateException | dev.durable.JournalException e) {
                // the record that creates it is not committed yet, or a worker runs the execution, or the database
                // is away: the outside world tries again
                if (System.nanoTime() - deadline > 0) {
                    gaveUp.put(callback.subject(), client.workerId() + ": " + e);
                    return;
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 200);
        }
    }

    /**
     * Waits, pumping callbacks, until at least {@code count} effect lines are on disk, or no more will come because
     * every execution has ended; the count reached.
     */
    int awaitEffects(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = pump().size();
            if (n >= count || allStartedAndEnded()) {
                return n;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + n + " of " + count + " effect lines within " + timeout
                        + "; unfinished executions: " + unfinished());
            }
            Thread.sleep(20);
        }
    }

    /** Waits, pumping callbacks, until {@code done} holds. */
    void awaitUntil(String what, BooleanSupplier done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            pump();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + timeout + "; unfinished executions: "
                        + unfinished() + "; effect lines: " + linesSeen + "; callback completions given up: "
                        + gaveUp);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until every execution (the invoked children too) has ended in the database. */
    void awaitAllEnded(Duration timeout) throws Exception {
        awaitUntil("the end of every execution", this::allStartedAndEnded, timeout);
    }

    /**
     * The executions that have not ended, with their status and owner, then what tells why one is stuck: when it is
     * due, how many outside events it had, its callbacks and its last records (type:operation).
     */
    List<String> unfinished() {
        return query("SELECT e.name || ' ' || e.status || ' ' || coalesce(e.owner, '-') || ' (wake_at '"
                + " || coalesce(e.wake_at::text, '-') || ', changes ' || e.changes || ', callbacks '"
                + " || coalesce((SELECT string_agg(c.id, ' ') FROM " + schema + ".callbacks c"
                + " WHERE c.execution = e.name), '-') || ', last records '"
                + " || coalesce((SELECT string_agg(r.type || ':' || r.operation, ' ' ORDER BY r.seq) FROM"
                + " (SELECT type, operation, seq FROM " + schema + ".records WHERE execution = e.name"
                + " ORDER BY seq DESC LIMIT 4) r), '-') || ')' FROM " + schema + ".executions e"
                + " WHERE e.finished_at IS NULL ORDER BY e.name");
    }

    /** The owner of every execution that has one. */
    List<String> owners() {
        return query("SELECT owner FROM " + schema + ".executions WHERE owner IS NOT NULL");
    }

    /**
     * The first column of {@code sql}'s rows. The tests cut this pool's connections too, so a query that fails
     * because its connection was cut (SQL state class 08, or 57P terminated by the administrator) is sent again on a
     * new connection, a few times, as any client of the workers would.
     */
    List<String> query(String sql) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement(sql);
                    ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (attempt == 3 || !(state.startsWith("08") || state.startsWith("57P"))) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * Every guarantee, once every execution has ended: the effect log shows no acknowledged step run again and no
     * at-most-once attempt started twice; every acknowledged step is in the database as succeeded; every callback
     * handed out was completed by exactly one of the two racing clients, the other told it was completed already;
     * every execution succeeded with the result of an uninterrupted run.
     *
     * @return the callbacks completed
     */
    int verify() throws Exception {
        List<EffectLog.Line> lines = pump();
        completer.shutdown();
        assertThat(completer.awaitTermination(
                        COMPLETION_DEADLINE.toSeconds() + 10, java.util.concurrent.TimeUnit.SECONDS))
                .as("callback completions finished")
                .isTrue();
        assertThat(EffectChecks.ofLog(lines, AT_MOST_ONCE)).as("effect log").isEmpty();
        assertThat(EffectChecks.againstJournal(lines, clientA, AT_MOST_ONCE))
                .as("effect log against the database")
                .isEmpty();
        assertThat(gaveUp).as("callback completions that never got through").isEmpty();
        for (String id : wins.keySet()) {
            assertThat(wins.get(id).get())
                    .as("completions of callback %s that won", id)
                    .isEqualTo(1);
            assertThat(already.get(id).get())
                    .as("completions of callback %s told it was completed", id)
                    .isEqualTo(1);
        }
        // a change from outside that ran into an ended execution claims it for a moment: wait for that to pass,
        // while a row left owned by a failure stays owned and fails the check
        String owned = "SELECT name FROM " + schema + ".executions WHERE owner IS NOT NULL";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!query(owned).isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
        assertThat(query(owned)).as("executions still owned after they ended").isEmpty();
        Map<String, String> results = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT name, status," + " result FROM " + schema + ".executions WHERE function = 'mixed'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                assertThat(rs.getString(2)).as("status of %s", rs.getString(1)).isEqualTo("SUCCEEDED");
                results.put(rs.getString(1), rs.getString(3));
            }
        }
        Map<String, String> expected = new HashMap<>();
        for (Map.Entry<String, String> e : CrashHarness.uninterruptedResults(names, dir.resolve("uninterrupted"))
                .entrySet()) {
            expected.put(e.getKey(), JSON.writeValueAsString(e.getValue()));
        }
        assertThat(results)
                .as("results in the database against uninterrupted runs")
                .containsExactlyInAnyOrderEntriesOf(expected);
        return wins.size();
    }

    @Override
    public void close() {
        completer.shutdownNow();
        clientA.close();
        clientB.close();
        ds.close();
    }
}
