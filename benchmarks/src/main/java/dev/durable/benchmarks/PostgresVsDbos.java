package dev.durable.benchmarks;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;
import dev.durable.DurableContext;
import dev.durable.Execution;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * PostgresRuntime against DBOS Transact Java on one throwaway PostgreSQL server that this program starts (with the
 * PostgreSQL runtime's test helper: PostgreSQL 15, {@code fsync=on}, default settings otherwise). Every run gets a
 * database of its own, for both sides, dropped afterwards; both use their default settings.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar postgres [--quick] [--rounds N] [--only 1,2,3,4]
 * </pre>
 *
 * Items 1 to 3 alternate ours and DBOS within each round, so both see the same machine weather; the ratio is the
 * median of the per-round ratios. {@code --quick} runs small sizes only to check that the harness works.
 */
public final class PostgresVsDbos {
    private final TestPostgres pg;
    private final int rounds;
    private final boolean quick;
    private int databases;

    private PostgresVsDbos(TestPostgres pg, int rounds, boolean quick) {
        this.pg = pg;
        this.rounds = rounds;
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        boolean quick = list.contains("--quick");
        int rounds = 3;
        List<String> only = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--only")) {
                only.addAll(List.of(args[i + 1].split(",")));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "machine: %d cpus, Java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("load average before the run: %s%n", MachineLoad.loadAverage());
        try (TestPostgres pg = TestPostgres.start()) {
            PostgresVsDbos b = new PostgresVsDbos(pg, rounds, quick);
            System.out.printf(
                    "PostgreSQL: %s; DBOS Transact %s; %d rounds%s%n%n",
                    b.serverVersion(), DBOS.version(), rounds, quick ? ", QUICK sizes (not for quoting)" : "");
            if (only.isEmpty() || only.contains("1")) {
                b.sequential(quick ? 200 : 2_000);
            }
            if (only.isEmpty() || only.contains("2")) {
                b.concurrent(quick ? 100 : 1_000, quick ? 20 : 100);
            }
            if (only.isEmpty() || only.contains("3")) {
                b.timers(quick ? 50 : 500);
            }
            if (only.isEmpty() || only.contains("4")) {
                b.suspended(quick ? 5_000 : 100_000);
            }
        }
        System.out.printf("%nload average after the run: %s%n", MachineLoad.loadAverage());
    }

    // ---- the two subjects -------------------------------------------------------------------------------------

    /** The DBOS side: workflows are methods of a registered proxy, steps are {@code runStep} lambdas. */
    public interface DbosBench {
        int steps(int n);

        long timer(long wakeAtMillis, String key);
    }

    /** Latencies in nanoseconds by execution, written by the first step after the wait (which runs once). */
    static final Map<String, Long> AFTER_WAKE = new ConcurrentHashMap<>();

    public static final class DbosBenchImpl implements DbosBench {
        private final DBOS dbos;

        public DbosBenchImpl(DBOS dbos) {
            this.dbos = dbos;
        }

        @Override
        @Workflow(name = "steps")
        public int steps(int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                int value = i;
                sum += dbos.runStep(() -> value, "step");
            }
            return sum;
        }

        @Override
        @Workflow(name = "timer")
        public long timer(long wakeAtMillis, String key) {
            dbos.sleep(Duration.ofMillis(Math.max(0, wakeAtMillis - System.currentTimeMillis())));
            return dbos.runStep(() -> afterWake(key, wakeAtMillis), "after");
        }
    }

    private static long afterWake(String key, long wakeAtMillis) {
        long nanos = Duration.between(Instant.ofEpochMilli(wakeAtMillis), Instant.now())
                .toNanos();
        AFTER_WAKE.put(key, nanos);
        return nanos;
    }

    private static int steps(DurableContext ctx, int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int value = i;
            sum += ctx.step("step", Integer.class, s -> value);
        }
        return sum;
    }

    /** Workers of ours, each with its own pool (the runtime's default pool from a URL) and default settings. */
    private List<PostgresRuntime> ours(String db, int workers) {
        List<PostgresRuntime> all = new ArrayList<>();
        for (int w = 1; w <= workers; w++) {
            PostgresRuntime rt =
                    PostgresRuntime.builder().url(url(db)).workerId("w" + w).open();
            rt.register("steps", Integer.class, Integer.class, (n, ctx) -> steps(ctx, n));
            rt.register("timer", Long.class, Long.class, (wake, ctx) -> {
                ctx.waitUntil("nap", Instant.ofEpochMilli(wake));
                String key = ctx.executionName();
                return ctx.step("after", Long.class, s -> afterWake(key, wake));
            });
            rt.register("sleeper", Integer.class, Integer.class, (n, ctx) -> {
                ctx.wait("nap", Duration.ofHours(1));
                return n;
            });
            all.add(rt);
        }
        return all;
    }

    private static void closeAll(List<PostgresRuntime> workers) {
        for (PostgresRuntime rt : workers) {
            rt.close();
        }
    }

    private record Dbos(DBOS dbos, DbosBench proxy) implements AutoCloseable {
        @Override
        public void close() {
            dbos.close();
        }
    }

    /** DBOS with its defaults, on a database of its own on the same server. */
    private Dbos dbos(String db) {
        DBOSConfig config = DBOSConfig.defaults("durable-bench")
                .withDatabaseUrl(url(db))
                .withDbUser("durable")
                .withDbPassword(""); // the server trusts local connections; DBOS requires a value
        DBOS dbos = new DBOS(config);
        DbosBench proxy = dbos.registerProxy(DbosBench.class, new DbosBenchImpl(dbos));
        dbos.launch();
        return new Dbos(dbos, proxy);
    }

    // ---- 1. one execution, sequential steps -------------------------------------------------------------------

    private void sequential(int steps) throws Exception {
        header("1 one execution x " + String.format(Locale.ROOT, "%,d", steps) + " sequential steps");
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        double[] commits = new double[rounds];
        oursSequential(Math.min(steps, 200)); // warm-up, not measured
        dbosSequential(Math.min(steps, 200));
        for (int r = 0; r < rounds; r++) {
            commits[r] = commitLimit();
            ours[r] = oursSequential(steps);
            theirs[r] = dbosSequential(steps);
            System.out.printf(
                    Locale.ROOT,
                    "  round %d: ours %,.0f/s  DBOS %,.0f/s  (1-row INSERT+COMMIT limit %,.0f/s)%n",
                    r + 1,
                    ours[r],
                    theirs[r],
                    commits[r]);
            sane("ours", ours[r], commits[r]);
            sane("DBOS", theirs[r], commits[r]);
        }
        result("steps/s, ours", ours, theirs);
        System.out.printf(
                Locale.ROOT,
                "  physical limit (one connection, 1-row INSERT + COMMIT each), median: %,.0f/s%n",
                median(commits));
    }

    /** A sequential step waits for its own commit, so it cannot beat one connection's commit rate by much. */
    private static void sane(String who, double stepsPerSecond, double commitsPerSecond) {
        if (stepsPerSecond > commitsPerSecond * 1.5) {
            System.out.printf(
                    Locale.ROOT,
                    "  SUSPECT: %s ran %,.0f steps/s, above the commit limit %,.0f/s%n",
                    who,
                    stepsPerSecond,
                    commitsPerSecond);
        }
    }

    private double oursSequential(int steps) throws Exception {
        String db = createDatabase("ours");
        List<PostgresRuntime> w = ours(db, 1);
        try {
            long start = System.nanoTime();
            int sum = w.get(0).<Integer>start("steps", "seq", steps).result(Duration.ofMinutes(10));
            double rate = steps / ((System.nanoTime() - start) / 1e9);
            check(sum == steps * (steps - 1) / 2, "ours: wrong sum " + sum);
            long rows = count(db, "SELECT count(*) FROM durable.records WHERE execution = 'seq'");
            check(rows >= steps, "ours: " + rows + " records for " + steps + " steps");
            return rate;
        } finally {
            closeAll(w);
            dropDatabase(db);
        }
    }

    private double dbosSequential(int steps) throws Exception {
        String db = createDatabase("dbos");
        try (Dbos d = dbos(db)) {
            long start = System.nanoTime();
            WorkflowHandle<Integer, RuntimeException> h =
                    d.dbos.startWorkflow(() -> d.proxy.steps(steps), new StartWorkflowOptions("seq"));
            int sum = h.getResult();
            double rate = steps / ((System.nanoTime() - start) / 1e9);
            check(sum == steps * (steps - 1) / 2, "DBOS: wrong sum " + sum);
            long rows = count(db, "SELECT count(*) FROM dbos.operation_outputs WHERE workflow_uuid = 'seq'");
            check(rows >= steps, "DBOS: " + rows + " step outputs for " + steps + " steps");
            return rate;
        } finally {
            dropDatabase(db);
        }
    }

    /** One connection inserting one row per transaction, with the server's settings: the sequential limit. */
    private double commitLimit() throws SQLException {
        String db = createDatabase("limit");
        try (Connection c = connect(db);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id bigint PRIMARY KEY, payload bytea)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                long start = System.nanoTime();
                long end = start + 1_500_000_000L;
                long now;
                int n = 0;
                do {
                    ps.setLong(1, n++);
                    ps.setBytes(2, new byte[32]);
                    ps.executeUpdate();
                } while ((now = System.nanoTime()) < end);
                return n / ((now - start) / 1e9);
            }
        } finally {
            dropDatabase(db);
        }
    }

    // ---- 2. many executions started at once --------------------------------------------------------------------

    private void concurrent(int executions, int steps) throws Exception {
        header(String.format(Locale.ROOT, "2 %,d executions x %d steps, started concurrently", executions, steps));
        double[] one = new double[rounds];
        double[] three = new double[rounds];
        double[] theirs = new double[rounds];
        oursConcurrent(1, Math.min(executions, 100), Math.min(steps, 20)); // warm-up
        dbosConcurrent(Math.min(executions, 100), Math.min(steps, 20));
        for (int r = 0; r < rounds; r++) {
            one[r] = orFailed("ours 1 worker", () -> oursConcurrent(1, executions, steps));
            theirs[r] = orFailed("DBOS", () -> dbosConcurrent(executions, steps));
            three[r] = orFailed("ours 3 workers", () -> oursConcurrent(3, executions, steps));
            System.out.printf(
                    Locale.ROOT,
                    "  round %d: ours 1 worker %,.0f/s  DBOS %,.0f/s  ours 3 workers %,.0f/s%n",
                    r + 1,
                    one[r],
                    theirs[r],
                    three[r]);
        }
        result("steps/s, ours 1 worker", one, theirs);
        result("steps/s, ours 3 workers (3 runtimes in this JVM)", three, theirs);
    }

    interface Run {
        double run() throws Exception;
    }

    /** A run that fails counts as missing (NaN, left out of the medians) and its error is printed, not hidden. */
    private static double orFailed(String what, Run run) {
        try {
            return run.run();
        } catch (Exception | AssertionError e) {
            System.out.printf(
                    "  FAILED %s: %s%n",
                    what, String.valueOf(e).lines().findFirst().orElse(""));
            return Double.NaN;
        }
    }

    /** Starts go round-robin over the workers from 32 threads; each worker runs what it started. */
    private double oursConcurrent(int workers, int executions, int steps) throws Exception {
        String db = createDatabase("ours");
        List<PostgresRuntime> w = ours(db, workers);
        try {
            long start = System.nanoTime();
            List<Execution<Integer>> all =
                    startConcurrently(executions, i -> w.get(i % workers).<Integer>start("steps", "c-" + i, steps));
            for (Execution<Integer> e : all) {
                check(e.result(Duration.ofMinutes(10)) == steps * (steps - 1) / 2, "ours: wrong sum");
            }
            double rate = (double) executions * steps / ((System.nanoTime() - start) / 1e9);
            long rows = count(db, "SELECT count(*) FROM durable.records");
            check(rows >= (long) executions * steps, "ours: " + rows + " records for " + executions * steps + " steps");
            return rate;
        } finally {
            closeAll(w);
            dropDatabase(db);
        }
    }

    private double dbosConcurrent(int executions, int steps) throws Exception {
        String db = createDatabase("dbos");
        try (Dbos d = dbos(db)) {
            long start = System.nanoTime();
            List<WorkflowHandle<Integer, RuntimeException>> all = startConcurrently(
                    executions,
                    i -> d.dbos.startWorkflow(() -> d.proxy.steps(steps), new StartWorkflowOptions("c-" + i)));
            for (WorkflowHandle<Integer, RuntimeException> h : all) {
                check(h.getResult() == steps * (steps - 1) / 2, "DBOS: wrong sum");
            }
            double rate = (double) executions * steps / ((System.nanoTime() - start) / 1e9);
            long rows = count(db, "SELECT count(*) FROM dbos.operation_outputs");
            check(rows >= (long) executions * steps, "DBOS: " + rows + " outputs for " + executions * steps + " steps");
            return rate;
        } finally {
            dropDatabase(db);
        }
    }

    private static <T> List<T> startConcurrently(int count, IntFunction<T> start) throws Exception {
        ExecutorService starters = Executors.newFixedThreadPool(32);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int k = i;
                futures.add(starters.submit(() -> start.apply(k)));
            }
            List<T> all = new ArrayList<>();
            for (Future<T> f : futures) {
                all.add(f.get());
            }
            return all;
        } finally {
            starters.shutdown();
        }
    }

    // ---- 3. a due timer: wake_at -> first step after the wait --------------------------------------------------

    /**
     * Executions wait until wake times 10 ms apart, starting a few seconds after they are started; the first step
     * after the wait records how late it ran. Ours suspends (no thread; a worker claims it when due); DBOS sleeps
     * in its workflow thread.
     */
    private void timers(int executions) throws Exception {
        header(String.format(
                Locale.ROOT, "3 claim-to-resume of a due timer, %d executions, wake times 10 ms apart", executions));
        double[][] ours = new double[2][rounds];
        double[][] theirs = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            double[] o = oursTimers(executions);
            double[] d = dbosTimers(executions);
            ours[0][r] = o[0];
            ours[1][r] = o[1];
            theirs[0][r] = d[0];
            theirs[1][r] = d[1];
            System.out.printf(
                    Locale.ROOT,
                    "  round %d: ours p50 %.1f ms p99 %.1f ms  DBOS p50 %.1f ms p99 %.1f ms%n",
                    r + 1,
                    o[0],
                    o[1],
                    d[0],
                    d[1]);
        }
        resultMs("p50 ms", ours[0], theirs[0]);
        resultMs("p99 ms", ours[1], theirs[1]);
    }

    private long firstWake(int executions) {
        return System.currentTimeMillis() + (quick ? 2_000 : 5_000) + executions * 2L;
    }

    private double[] oursTimers(int executions) throws Exception {
        String db = createDatabase("ours");
        List<PostgresRuntime> w = ours(db, 1);
        try {
            AFTER_WAKE.clear();
            long first = firstWake(executions);
            List<Execution<Long>> all =
                    startConcurrently(executions, i -> w.get(0).<Long>start("timer", "t-" + i, first + 10L * i));
            warnIfLate(first, "ours");
            for (Execution<Long> e : all) {
                e.result(Duration.ofMinutes(10));
            }
            return percentiles(executions, "ours");
        } finally {
            closeAll(w);
            dropDatabase(db);
        }
    }

    private double[] dbosTimers(int executions) throws Exception {
        String db = createDatabase("dbos");
        try (Dbos d = dbos(db)) {
            AFTER_WAKE.clear();
            long first = firstWake(executions);
            List<WorkflowHandle<Long, RuntimeException>> all = startConcurrently(
                    executions,
                    i -> d.dbos.startWorkflow(
                            () -> d.proxy.timer(first + 10L * i, "t-" + i), new StartWorkflowOptions("t-" + i)));
            warnIfLate(first, "DBOS");
            for (WorkflowHandle<Long, RuntimeException> h : all) {
                h.getResult();
            }
            return percentiles(executions, "DBOS");
        } finally {
            dropDatabase(db);
        }
    }

    private static void warnIfLate(long first, String who) {
        if (System.currentTimeMillis() > first) {
            System.out.printf(
                    "  WARNING: %s's starts ran past the first wake time; its first latencies include that%n", who);
        }
    }

    private static double[] percentiles(int executions, String who) {
        check(AFTER_WAKE.size() == executions, who + ": " + AFTER_WAKE.size() + " of " + executions + " woke");
        double[] ms =
                AFTER_WAKE.values().stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        check(ms[0] >= -1, who + ": a step after the wait ran " + ms[0] + " ms before the wake time");
        return new double[] {ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) (ms.length * 0.99))]};
    }

    // ---- 4. what suspended executions cost ---------------------------------------------------------------------

    /**
     * Ours only: DBOS's durable sleep holds a workflow thread (on Java 17 its default executor is a fixed pool of 50
     * threads per cpu), so it has no suspended state without a thread to compare with.
     */
    private void suspended(int executions) throws Exception {
        header(String.format(
                Locale.ROOT, "4 cost of %,d executions suspended on a 1 h timer (ours, one worker)", executions));
        String db = createDatabase("ours");
        List<PostgresRuntime> w = ours(db, 1);
        try {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long start = System.nanoTime();
            int tenth = executions / 10;
            startConcurrently(tenth, i -> w.get(0).start("sleeper", "s-" + i, i));
            check(w.get(0).awaitIdle(Duration.ofMinutes(10)), "ours: not idle after a tenth");
            int threadsAtTenth = ManagementFactory.getThreadMXBean().getThreadCount();
            startConcurrently(executions - tenth, i -> w.get(0).start("sleeper", "s-" + (tenth + i), i));
            check(w.get(0).awaitIdle(Duration.ofMinutes(30)), "ours: not idle");
            String suspendedSql = "SELECT count(*) FROM durable.executions WHERE status = 'WAITING' AND owner IS NULL";
            long waiting = count(db, suspendedSql);
            if (waiting != executions) { // awaitIdle said idle, yet not all are suspended: say what they are doing
                System.out.printf(
                        "  NOTE: awaitIdle returned with %,d of %,d suspended; by status and owner: %s%n",
                        waiting, executions, statuses(db));
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while ((waiting = count(db, suspendedSql)) != executions && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf(
                    Locale.ROOT,
                    "  started and suspended in %.1f s (%,.0f executions/s); %,d WAITING without" + " an owner%n",
                    seconds,
                    executions / seconds,
                    waiting);
            check(waiting == executions, "ours: " + waiting + " of " + executions + " suspended");
            long totalBytes = 0;
            long totalRows = 0;
            for (String table : List.of("executions", "records", "callbacks", "workers")) {
                long rows = count(db, "SELECT count(*) FROM durable." + table);
                long bytes = count(db, "SELECT pg_total_relation_size('durable." + table + "')");
                totalRows += rows;
                totalBytes += bytes;
                System.out.printf(
                        Locale.ROOT,
                        "  %-10s %,9d rows %,12d bytes (%.1f MiB, with indexes and TOAST)%n",
                        table,
                        rows,
                        bytes,
                        bytes / 1048576.0);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  total      %,9d rows %,12d bytes (%.1f MiB, %.0f B per execution)%n",
                    totalRows,
                    totalBytes,
                    totalBytes / 1048576.0,
                    totalBytes / (double) executions);
            System.out.printf(
                    Locale.ROOT,
                    "  live JVM threads: %d before, %d at %,d suspended, %d at %,d; in handler" + " code now: %d%n",
                    threadsBefore,
                    threadsAtTenth,
                    tenth,
                    threadsAfter,
                    executions,
                    threadsInHandlers());
        } finally {
            closeAll(w);
            dropDatabase(db);
        }
    }

    private String statuses(String db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT status, owner IS NOT NULL, count(*) FROM durable.executions GROUP BY 1, 2 ORDER BY 1, 2")) {
            while (rs.next()) {
                out.append(rs.getString(1))
                        .append(rs.getBoolean(2) ? " owned " : " unowned ")
                        .append(rs.getLong(3))
                        .append("; ");
            }
        }
        return out.toString();
    }

    private static int threadsInHandlers() {
        int n = 0;
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            for (StackTraceElement frame : info.getStackTrace()) {
                if (frame.getClassName().startsWith(PostgresVsDbos.class.getName())
                        && !frame.getMethodName().equals("threadsInHandlers")
                        && !frame.getMethodName().equals("suspended")
                        && !frame.getMethodName().equals("main")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    // ---- the server ---------------------------------------------------------------------------------------------

    private String url(String db) {
        return pg.jdbcUrl().replaceFirst("/postgres\\?", "/" + db + "?");
    }

    private Connection connect(String db) throws SQLException {
        return new org.postgresql.Driver().connect(url(db), new java.util.Properties());
    }

    private String createDatabase(String prefix) throws SQLException {
        String name = prefix + "_" + ++databases;
        try (Connection c = pg.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    private void dropDatabase(String name) throws SQLException {
        try (Connection c = pg.connect();
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private long count(String db, String sql) throws SQLException {
        try (Connection c = connect(db);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String serverVersion() throws SQLException {
        try (Connection c = pg.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
                        + " current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
            rs.next();
            return rs.getString(1) + " (fsync=" + rs.getString(2) + ", synchronous_commit=" + rs.getString(3)
                    + ", shared_buffers=" + rs.getString(4) + ")";
        }
    }

    // ---- reporting ----------------------------------------------------------------------------------------------

    private static void header(String title) {
        System.out.printf("%n%s  [load average %s]%n", title, MachineLoad.loadAverage());
    }

    private static void result(String what, double[] ours, double[] theirs) {
        double[] ratios = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            ratios[i] = ours[i] / theirs[i];
        }
        System.out.printf(
                Locale.ROOT,
                "  median %s: %,.0f/s  DBOS %,.0f/s  ours/DBOS %.2f (median of per-round ratios)"
                        + "  [load average %s]%n",
                what,
                median(ours),
                median(theirs),
                median(ratios),
                MachineLoad.loadAverage());
    }

    private static void resultMs(String what, double[] ours, double[] theirs) {
        double[] ratios = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            ratios[i] = ours[i] / theirs[i];
        }
        System.out.printf(
                Locale.ROOT,
                "  median %s: ours %.1f  DBOS %.1f  ours/DBOS %.2f (lower is better)" + "  [load average %s]%n",
                what,
                median(ours),
                median(theirs),
                median(ratios),
                MachineLoad.loadAverage());
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("measurement check failed: " + message);
        }
    }

    static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
