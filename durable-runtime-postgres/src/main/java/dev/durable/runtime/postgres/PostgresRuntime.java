package dev.durable.runtime.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.durable.DurableClock;
import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.JournalException;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.internal.DurableEngine;
import dev.durable.internal.EngineBuilder;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.plugin.DurablePlugin;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime on PostgreSQL: any number of worker processes share one database and run the same handlers. An
 * execution runs on one worker at a time, under a lease that the worker renews while it runs; a suspended execution
 * (a wait, a callback, a retry delay) holds no lease and no thread anywhere, and whichever worker is free when it
 * falls due claims it. A worker killed mid-run loses its leases, and its executions continue on the others once the
 * lease runs out.
 *
 * <pre>{@code
 * try (DurableRuntime runtime = PostgresRuntime.builder().dataSource(ds).workerId("w1").open()) {
 *     runtime.register(new OrderProcessor_Durable(payments));
 *     runtime.start(OrderProcessor.class, "order-42", order); // any worker may run it
 * }
 * }</pre>
 *
 * <p>Correctness does not rest on clocks: each claim bumps the execution's epoch, and every append is conditional on
 * it in the same transaction as the record insert, so a worker that lost its lease (paused past it, say) can write
 * nothing more. Starts, callbacks, cancels, lists and histories work from any worker, and from a {@link #client}
 * that runs no handlers.
 */
public final class PostgresRuntime implements DurableRuntime {
    /** How long a claim lasts unless renewed; a killed worker's executions move after this. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);
    /** How often a worker looks for due work when no notification arrives. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How long a change from outside waits for the worker running the execution to let go of it. */
    public static final Duration DEFAULT_OUTSIDE_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(PostgresRuntime.class);

    private final DataSource ds;
    private final HikariDataSource ownPool;
    private final Tables t;
    private final String worker;
    private final boolean runsHandlers;
    private final int capacity;
    private final int claimBatch;

    /** How often a worker looks again for BLOCKED executions that workers started before it left. */
    private static final Duration BLOCKED_SCAN = Duration.ofSeconds(30);

    /** The functions this worker ran when it last looked for BLOCKED executions, and when (System.nanoTime). */
    private volatile List<String> blockedScanFunctions = List.of();

    private volatile long blockedScanAt;
    private final Duration pollInterval;
    private final Duration outsideWait;
    private final Leases leases;
    private final PgJournal journal;
    private final DurableEngine engine;
    private final Semaphore signal = new Semaphore(0);
    private final Object rounds = new Object();
    private long round;
    private final Thread poller;
    private final Thread listener;
    private final ScheduledExecutorService renewer;
    private volatile DurableClock.Timer dueTimer;
    /** Leases the engine did not hold at the last renewal (only the renewer's thread reads and writes it). */
    private java.util.Set<String> unheldLastTime = java.util.Set.of();

    private volatile boolean closed;

    private PostgresRuntime(Builder b) {
        if (b.dataSource == null && b.url == null) {
            throw new IllegalArgumentException("a PostgreSQL runtime needs a dataSource(...) or a url(...)");
        }
        this.ownPool = b.dataSource == null ? pool(b.url, b.threads) : null;
        this.ds = b.dataSource != null ? b.dataSource : ownPool;
        try {
            Schema.migrate(ds, b.schema);
            this.t = new Tables(b.schema);
            this.worker = b.workerId != null ? b.workerId : defaultWorkerId();
            this.runsHandlers = b.runsHandlers;
            this.capacity = b.threads != null ? b.threads : DurableEngine.DEFAULT_THREADS;
            this.claimBatch = b.claimBatch;
            this.pollInterval = b.pollInterval;
            this.outsideWait = b.outsideWait;
            DurableClock clock = b.clock != null ? b.clock : DurableClock.system();
            this.leases = new Leases(ds, t, worker, b.lease, clock, b.runsHandlers, this::signal);
            leases.hintHorizon(b.pollInterval);
            this.journal = new PgJournal(ds, t, leases, worker);
            b.engine.journal(journal).ownership(leases).clock(clock).closeJournal(false);
            this.engine = b.engine.build();
            heartbeat();
        } catch (RuntimeException e) {
            if (ownPool != null) {
                ownPool.close();
            }
            throw e;
        }
        this.poller = new Thread(this::pollLoop, "durable-postgres-poll-" + worker);
        poller.setDaemon(true);
        this.listener = new Thread(this::listenLoop, "durable-postgres-listen-" + worker);
        listener.setDaemon(true);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "durable-postgres-lease-" + worker);
            th.setDaemon(true);
            return th;
        });
        long every = Math.max(1, b.lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
        poller.start();
        listener.start();
    }

    /** Starts building a worker. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A runtime that runs no handlers: it starts executions (a worker with the function runs them), completes
     * callbacks, cancels, lists and reads histories.
     */
    public static PostgresRuntime client(DataSource dataSource) {
        return builder().dataSource(dataSource).runHandlers(false).open();
    }

    private static HikariDataSource pool(String url, Integer threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(Math.max(8, Math.min(32, (threads == null ? 16 : threads) / 2 + 4)));
        config.setPoolName("durable-postgres");
        return new HikariDataSource(config);
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This worker's id, as the {@code owner} column shows it. */
    public String workerId() {
        return worker;
    }

    /** The schema holding the runtime's tables. */
    public String schema() {
        return t.schema();
    }

    // ---- claiming due work --------------------------------------------------------------------------------------

    private void signal() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void pollLoop() {
        while (!closed) {
            boolean more = false;
            try {
                more = pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("worker '{}' could not poll for due executions: {}", worker, e.getMessage());
            }
            synchronized (rounds) {
                round++;
                rounds.notifyAll();
            }
            if (!more) {
                try {
                    armDueTimer();
                } catch (RuntimeException e) {
                    LOG.debug("worker '{}' could not read the next due time: {}", worker, e.getMessage());
                }
                try {
                    signal.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    signal.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Claims what is due and runs it; completes the callers waiting for executions that ended elsewhere. */
    private boolean pollOnce() {
        boolean more = false;
        if (runsHandlers) {
            int free = capacity - leases.heldCount();
            int want = Math.min(free, claimBatch);
            List<String> functions = engine.sharing().runnableFunctions();
            List<Leases.Claim> claimed = leases.claimDue(functions, want);
            for (Leases.Claim c : claimed) {
                adopt(c.name(), true);
            }
            more = want > 0 && claimed.size() == want;
            more |= claimBlocked(functions, capacity - leases.heldCount());
        }
        List<String> awaited = engine.sharing().awaitedElsewhere();
        if (!awaited.isEmpty()) {
            for (String name : journal.names(
                    "SELECT name FROM " + t.executions() + " WHERE name = ANY (?) AND finished_at IS NOT NULL",
                    awaited)) {
                engine.sharing().endedElsewhere(name);
            }
        }
        return more;
    }

    /**
     * Runs again the BLOCKED executions this worker's code may now replay (blocked by workers started before it): when
     * its functions change (a registration) and every {@link #BLOCKED_SCAN}, since the query reads every blocked row.
     * Returns whether more may be waiting.
     */
    private boolean claimBlocked(List<String> functions, int free) {
        long now = System.nanoTime();
        if (functions.equals(blockedScanFunctions) && now - blockedScanAt < BLOCKED_SCAN.toNanos()) {
            return false;
        }
        int want = Math.min(free, claimBatch);
        List<Leases.Claim> claimed = leases.claimBlocked(functions, want);
        for (Leases.Claim c : claimed) {
            adopt(c.name(), true);
        }
        boolean more = want > 0 && claimed.size() == want;
        if (!more) {
            blockedScanFunctions = functions;
            blockedScanAt = now;
        }
        return more;
    }

    /**
     * Hands a claimed execution to the engine; a claim the engine cannot take (the database failed while it read
     * the execution) is given up, so that it is neither renewed nor lost. Returns whether the engine holds it.
     */
    private boolean adopt(String name, boolean run) {
        try {
            if (engine.sharing().adopt(name, run)) {
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warn("worker '{}' could not load execution '{}': {}", worker, name, e.getMessage());
        }
        leases.drop(name);
        return false;
    }

    /** Wakes the poller when the earliest waiting execution falls due by the runtime's clock. */
    private void armDueTimer() {
        if (!runsHandlers) {
            return;
        }
        Instant next = null;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT min(wake_at) FROM " + t.executions()
                        + " WHERE status IN ('READY', 'WAITING') AND function || '@' || version = ANY (?)")) {
            ps.setArray(
                    1,
                    c.createArrayOf("text", engine.sharing().runnableFunctions().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    next = Tables.instant(rs, "min");
                }
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to tell the next due time: " + e.getMessage());
        }
        DurableClock.Timer old = dueTimer;
        if (old != null) {
            old.cancel();
        }
        dueTimer = next == null ? null : engine.clock().schedule(next, this::signal);
    }

    /** Turns notifications from other workers into early polls; lost ones only delay a poll to its interval. */
    private void listenLoop() {
        while (!closed) {
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("LISTEN " + t.channel())) {
                    ps.execute();
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] got = pg.getNotifications((int) Math.max(1, pollInterval.toMillis()));
                    if (got != null && got.length > 0) {
                        signal();
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.debug("worker '{}' lost its notification connection: {}", worker, e.getMessage());
                try {
                    Thread.sleep(pollInterval.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void renewQuietly() {
        try {
            for (String name : leases.renew()) {
                if (engine.sharing().holds(name)) {
                    engine.cancel(name);
                }
            }
            dropUnheld();
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("worker '{}' could not renew its leases: {}", worker, e.getMessage());
        }
    }

    /**
     * Gives up leases the engine does not hold at two renewals in a row: a claim is adopted within milliseconds, so
     * such a lease was left behind by a failure, and renewing it would keep its execution from every worker.
     */
    private void dropUnheld() {
        java.util.Set<String> now = new java.util.HashSet<>();
        for (String name : leases.names()) {
            if (!engine.sharing().holds(name)) {
                now.add(name);
                if (unheldLastTime.contains(name)) {
                    LOG.warn("worker '{}' gives up its lease on execution '{}', which it no longer runs", worker, name);
                    leases.drop(name);
                    now.remove(name);
                }
            }
        }
        unheldLastTime = now;
    }

    private void heartbeat() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO "
                        + t.workers() + " (id, started_at, heartbeat_at, info) VALUES (?, now(), now(), ?)"
                        + " ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()")) {
            ps.setString(1, worker);
            ps.setString(2, runsHandlers ? "worker" : "client");
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new JournalException(
                    "PostgreSQL refused the heartbeat of worker '" + worker + "': " + e.getMessage());
        }
    }

    // ---- changes from outside -----------------------------------------------------------------------------------

    /**
     * Runs {@code change} on execution {@code name} in this process: directly if this worker holds it, else after
     * claiming it (and letting it go after, unless the change made it run here). Waits while another worker runs it.
     */
    private <T> T outside(String name, Supplier<T> change) {
        long deadline = System.nanoTime() + outsideWait.toNanos();
        long backoff = 2;
        while (true) {
            if (engine.sharing().holds(name)) {
                try {
                    return change.get();
                } catch (LeaseLostException lost) {
                    // claimed by another worker meanwhile: go through the claim below
                }
            } else if (leases.claim(name)) {
                if (!adopt(name, false)) {
                    throw new JournalException("execution '" + name + "' could not be loaded from PostgreSQL;"
                            + " nothing was changed: try again");
                }
                try {
                    return change.get();
                } finally {
                    engine.sharing().letGo(name);
                }
            } else if (journal.status(name) == null) {
                return change.get(); // no such execution: the engine says so
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("execution '" + name + "' is running on another worker, which did"
                        + " not let go of it within " + outsideWait + "; nothing was changed: try again");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for execution '" + name + "'", e);
            }
            backoff = Math.min(backoff * 2, 100);
        }
    }

    private String callbackExecution(String callbackId) {
        Objects.requireNonNull(callbackId, "callbackId must not be null");
        List<String> found = journal.names("SELECT execution FROM " + t.callbacks() + " WHERE id = ?", callbackId);
        return found.isEmpty() ? null : found.get(0);
    }

    private void onCallback(String callbackId, Runnable change) {
        checkOpen();
        String execution = callbackExecution(callbackId);
        if (execution == null) {
            change.run(); // unknown: the engine says so
            return;
        }
        outside(execution, () -> {
            change.run();
            return null;
        });
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the runtime is closed; open it again to continue");
        }
    }

    @Override
    public void completeCallback(String callbackId, Object payload) {
        onCallback(callbackId, () -> engine.completeCallback(callbackId, payload));
    }

    @Override
    public void completeCallbackJson(String callbackId, String json) {
        onCallback(callbackId, () -> engine.completeCallbackJson(callbackId, json));
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message, String errorData) {
        onCallback(callbackId, () -> engine.failCallback(callbackId, errorType, message, errorData));
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        onCallback(callbackId, () -> engine.heartbeatCallback(callbackId));
    }

    /**
     * Cancels an execution: at once if it is waiting (or runs here); if another worker is running it, that worker
     * cancels it within a third of a lease. Returns false if it had already ended.
     */
    @Override
    public boolean cancel(String executionName) {
        checkOpen();
        Objects.requireNonNull(executionName, "executionName must not be null");
        if (engine.sharing().holds(executionName)) {
            return engine.cancel(executionName);
        }
        if (leases.claim(executionName)) {
            if (!adopt(executionName, false)) {
                throw new JournalException("execution '" + executionName + "' could not be loaded from PostgreSQL;"
                        + " it was not cancelled: try again");
            }
            try {
                return engine.cancel(executionName);
            } finally {
                engine.sharing().letGo(executionName);
            }
        }
        ExecutionStatus status = journal.status(executionName);
        if (status == null) {
            return engine.cancel(executionName); // unknown: the engine says so
        }
        return !status.isTerminal() && leases.requestCancel(executionName);
    }

    @Override
    public <O> Execution<O> retry(String executionName) {
        checkOpen();
        return outside(executionName, () -> {
            engine.sharing().blocked(executionName, journal.blockedBy(executionName)); // as the database has it
            return engine.retry(executionName);
        });
    }

    /** Fails a BLOCKED execution by an operator's decision, in whichever worker claims it for the change. */
    @Override
    public void fail(String executionName, String reason) {
        checkOpen();
        outside(executionName, () -> {
            engine.sharing().blocked(executionName, journal.blockedBy(executionName)); // as the database has it
            engine.fail(executionName, reason);
            return null;
        });
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    @Override
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        List<String> wanted = new ArrayList<>();
        for (ExecutionStatus s : statuses) {
            wanted.add(s.name());
            if (s == ExecutionStatus.RUNNING) {
                wanted.add("READY");
            }
        }
        String sql = "SELECT name, function, version, status, started_at, finished_at, parent, error FROM "
                + t.executions() + (wanted.isEmpty() ? "" : " WHERE status = ANY (?)") + " ORDER BY started_at, name";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (!wanted.isEmpty()) {
                Array a = c.createArrayOf("text", wanted.toArray());
                ps.setArray(1, a);
            }
            List<ExecutionInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ExecutionInfo(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getInt(3),
                            status(rs.getString(4)),
                            Tables.instant(rs, "started_at"),
                            Tables.instant(rs, "finished_at"),
                            rs.getString(7),
                            "BLOCKED".equals(rs.getString(4))
                                    ? PgJournal.errorInfo(rs.getString(8)).message()
                                    : null));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to list executions: " + e.getMessage());
        }
    }

    private static ExecutionStatus status(String column) {
        return "READY".equals(column) ? ExecutionStatus.RUNNING : ExecutionStatus.valueOf(column);
    }

    @Override
    public List<HistoryEvent> history(String executionName) {
        return engine.history(executionName);
    }

    @Override
    public ExecutionDetails describe(String executionName) {
        ExecutionStatus status =
                journal.status(Objects.requireNonNull(executionName, "executionName must not be null"));
        if (status == null) {
            return engine.describe(executionName); // unknown: the engine says so
        }
        return JournalHistory.details(
                executionName,
                History.of(executionName, journal.read(executionName)),
                status,
                status == ExecutionStatus.BLOCKED ? journal.blockedBy(executionName) : null);
    }

    @Override
    public <O> Execution<O> execution(String executionName) {
        return engine.execution(executionName);
    }

    @Override
    public SortedMap<Integer, Integer> unfinishedByVersion(String functionName) {
        SortedMap<Integer, Integer> counts = engine.unfinishedByVersion(functionName);
        counts.replaceAll((v, n) -> 0);
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT version, count(*)" + " FROM " + t.executions()
                        + " WHERE function = ? AND finished_at IS NULL GROUP BY version")) {
            ps.setString(1, functionName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getInt(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to count executions: " + e.getMessage());
        }
        return counts;
    }

    /** Removes executions that ended before {@code before}, with their records and callbacks, from the database. */
    @Override
    public int forgetFinished(Instant before) {
        Objects.requireNonNull(before, "before must not be null");
        List<String> names;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT name FROM " + t.executions() + " WHERE finished_at < ? AND owner IS NULL")) {
            Tables.setInstant(ps, 1, before);
            names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to list ended executions: " + e.getMessage());
        }
        engine.forgetFinished(before);
        journal.forget(names);
        return names.size();
    }

    // ---- the rest is the engine's -----------------------------------------------------------------------------

    @Override
    public <I, O> void register(
            String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        engine.register(functionName, inputType, outputType, handler);
        signal();
    }

    @Override
    public <I, O> void register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler) {
        engine.register(functionName, inputType, outputType, handler);
        signal();
    }

    @Override
    public String register(Object durableFunction) {
        String name = engine.register(durableFunction);
        signal();
        return name;
    }

    @Override
    public <O> Execution<O> start(String functionName, String executionName, Object input) {
        return engine.start(functionName, executionName, input);
    }

    @Override
    public <O> Execution<O> startJson(String functionName, String executionName, String inputJson) {
        return engine.startJson(functionName, executionName, inputJson);
    }

    @Override
    public <O> Execution<O> start(Class<?> functionClass, String executionName, Object input) {
        return engine.start(functionClass, executionName, input);
    }

    @Override
    public DurableClock clock() {
        return engine.clock();
    }

    /**
     * Waits until this worker runs nothing and nothing it could run is due: every execution of its functions has
     * ended or waits for a later time or an outside event. For tests driving a {@link dev.durable.ManualClock}.
     */
    @Override
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !engine.awaitIdle(Duration.ofNanos(left))) {
                return false;
            }
            if (!runsHandlers || (leases.heldCount() == 0 && dueCount() == 0 && !blockedScanPending())) {
                return engine.awaitIdle(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            long seen;
            synchronized (rounds) {
                seen = round;
            }
            signal();
            synchronized (rounds) {
                while (round < seen + 2 && !closed) {
                    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (ms <= 0) {
                        return false;
                    }
                    try {
                        rounds.wait(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
    }

    /** Whether this worker has not yet looked for BLOCKED executions its functions, as now registered, may resume. */
    private boolean blockedScanPending() {
        return !engine.sharing().runnableFunctions().equals(blockedScanFunctions);
    }

    private int dueCount() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
                        + t.executions() + " WHERE ((status IN ('READY', 'WAITING') AND wake_at <= ?)"
                        + " OR (status = 'RUNNING' AND (owner IS NULL OR owner = ? OR lease_until < now())))"
                        + " AND function || '@' || version = ANY (?)")) {
            Tables.setInstant(ps, 1, engine.clock().now());
            ps.setString(2, worker);
            ps.setArray(
                    3,
                    c.createArrayOf("text", engine.sharing().runnableFunctions().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new JournalException("PostgreSQL refused to count due executions: " + e.getMessage());
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Stops claiming, lets running handlers stop at their next operation, hands every execution this worker holds
     * back (due now, so others need not wait for the lease) and closes the pool if the runtime made it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        signal();
        renewer.shutdownNow();
        DurableClock.Timer timer = dueTimer;
        if (timer != null) {
            timer.cancel();
        }
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
        journal.close();
        try {
            leases.releaseAll();
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
        try {
            listener.join(pollInterval.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownPool != null) {
            ownPool.close();
        }
    }

    /** Builds a {@link PostgresRuntime}: a data source (or URL) is required, everything else has a default. */
    public static final class Builder {
        private final EngineBuilder engine = DurableEngine.builder();
        private DataSource dataSource;
        private String url;
        private String schema = Schema.DEFAULT_SCHEMA;
        private String workerId;
        private Duration lease = DEFAULT_LEASE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration outsideWait = DEFAULT_OUTSIDE_WAIT;
        private int claimBatch = 16;
        private Integer threads;
        private DurableClock clock;
        private boolean runsHandlers = true;

        private Builder() {}

        /** The database, as a pooled {@link DataSource} (HikariCP, say) the caller closes after the runtime. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            return this;
        }

        /** The database by JDBC URL ({@code jdbc:postgresql://host/db?user=...}); the runtime pools connections. */
        public Builder url(String jdbcUrl) {
            this.url = Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
            return this;
        }

        /** The schema holding the runtime's tables, created and migrated on open; default {@code durable}. */
        public Builder schema(String schema) {
            this.schema = Objects.requireNonNull(schema, "schema must not be null");
            return this;
        }

        /** This worker's id, unique among the workers of the database; default host, process id and a random part. */
        public Builder workerId(String workerId) {
            this.workerId = Objects.requireNonNull(workerId, "workerId must not be null");
            return this;
        }

        /** How long a claim lasts unless renewed (renewed every third of it); default 15 s. */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 100) {
                throw new IllegalArgumentException("lease must be at least 100 ms, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** How often to look for due work when no notification arrives; default 1 s. */
        public Builder pollInterval(Duration interval) {
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("pollInterval must be at least 1 ms, was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /** How long a callback completion or retry waits for another worker to let go of its execution; default 30 s. */
        public Builder outsideWait(Duration wait) {
            this.outsideWait = Objects.requireNonNull(wait, "wait must not be null");
            return this;
        }

        /** The most executions one claim takes; default 16. */
        public Builder claimBatch(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("claimBatch must be at least 1, was " + batch);
            }
            this.claimBatch = batch;
            return this;
        }

        /**
         * How many handlers run at once, and so how many executions this worker claims at most; default 64 claims,
         * run on 64 platform threads or, on virtual threads (see {@link #virtualThreads}), on a thread each.
         */
        public Builder threads(int threads) {
            engine.threads(threads);
            this.threads = threads;
            return this;
        }

        /**
         * Whether handlers run on virtual threads (Java 21 and later); by default they do from Java 24, where a
         * virtual thread blocked in a {@code synchronized} block no longer holds its carrier thread.
         *
         * @throws UnsupportedOperationException for {@code true} on Java before 21
         */
        public Builder virtualThreads(boolean virtual) {
            engine.virtualThreads(virtual);
            return this;
        }

        /** Whether this process runs handlers (a worker) or only starts, completes and reads (a client). */
        public Builder runHandlers(boolean run) {
            this.runsHandlers = run;
            return this;
        }

        /** The time source; default wall-clock time. Tests pass a {@link dev.durable.ManualClock}. */
        public Builder clock(DurableClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** The serializer for inputs, results and payloads; default {@link dev.durable.JsonSerDes}. */
        public Builder serdes(SerDes serdes) {
            engine.serdes(serdes);
            return this;
        }

        /** The largest serialized input, result or payload, in bytes; default 256 KiB. */
        public Builder payloadLimit(long bytes) {
            engine.payloadLimit(bytes);
            return this;
        }

        /** Adds a plugin (see {@link DurablePlugin}). */
        public Builder plugin(DurablePlugin plugin) {
            engine.plugin(plugin);
            return this;
        }

        /** Adds every {@link DurablePlugin} that {@code ServiceLoader} finds. */
        public Builder discoverPlugins() {
            engine.discoverPlugins();
            return this;
        }

        /** Creates or migrates the schema, registers the worker and starts claiming due executions. */
        public PostgresRuntime open() {
            return new PostgresRuntime(this);
        }
    }

    @Override
    public String toString() {
        return "PostgresRuntime[worker=" + worker + ", schema=" + t.schema() + ", handlers=" + runsHandlers + "]";
    }
}
