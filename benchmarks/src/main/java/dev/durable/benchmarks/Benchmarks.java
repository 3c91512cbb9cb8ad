package dev.durable.benchmarks;

import dev.durable.DurableContext;
import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.benchmarks.micro.Micro;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * Measures the journal and the engine against the disk's own limit and prints one table of medians.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests &amp;&amp; java -jar benchmarks/target/benchmarks.jar
 * </pre>
 *
 * Everything runs in a temporary directory under {@code target/}, so on the disk the project is built on.
 * {@code --quick} runs each measurement fewer times; {@code --only 1,5} runs only the numbered items;
 * {@code --baselines DIR} names the folder of the fixed baseline programs (default {@code ../shared/bench}, see
 * {@link Baselines}). {@code postgres} as the first argument runs {@link PostgresVsDbos} instead, {@code micro} the
 * JMH micro-benchmarks ({@link Micro}).
 */
public final class Benchmarks {
    private final Path root;
    private final int repeats;
    private final boolean quick;
    private final List<Row> rows = new ArrayList<>();
    private Baselines baselines;
    private MachineLoad window = MachineLoad.start();
    private int runs;

    private Benchmarks(Path root, int repeats, boolean quick) {
        this.root = root;
        this.repeats = repeats;
        this.quick = quick;
    }

    record Row(String item, String measure, String value, String target, String verdict) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("postgres")) { // PostgresRuntime against DBOS, on a server of its own
            PostgresVsDbos.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("micro")) { // JMH micro-benchmarks
            Micro.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        List<String> only = new ArrayList<>();
        String baselineDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) {
                only.addAll(List.of(args[i + 1].split(",")));
            }
            if (args[i].equals("--baselines") && i + 1 < args.length) {
                baselineDir = args[i + 1];
            }
        }
        Path target = Files.isDirectory(Path.of("benchmarks", "target"))
                ? Path.of("benchmarks", "target")
                : Path.of("target");
        Files.createDirectories(target);
        Path root = Files.createTempDirectory(target.toAbsolutePath(), "bench-");
        Benchmarks b = new Benchmarks(root, quick ? 3 : 5, quick);
        try {
            b.baselines = Baselines.locate(baselineDir, root);
            b.describeMachine();
            if (only.isEmpty() || only.contains("1") || only.contains("2")) {
                b.baselineAndSequentialSteps();
            }
            if (only.isEmpty() || only.contains("3")) {
                b.concurrentExecutions();
            }
            if (only.isEmpty() || only.contains("4")) {
                b.replay();
            }
            if (only.isEmpty() || only.contains("5")) {
                b.openLargeJournal();
                b.openLargeRuntime();
            }
            if (only.isEmpty() || only.contains("6")) {
                b.suspendedMemory();
            }
            if (only.isEmpty() || only.contains("7")) {
                b.memoryModeOverhead();
            }
            if (only.isEmpty() || only.contains("8")) {
                b.tracingOverhead();
            }
            if (only.isEmpty() || only.contains("9")) {
                b.restartAtScale();
            }
            b.printTable();
        } finally {
            deleteTree(root);
        }
    }

    // ---- 1. the disk's limit, 2. one execution's sequential steps

    /**
     * Items 1 and 2 in tight interleaved triples: the fixed {@code FsyncLimit} program, 1,000 steps of one execution,
     * {@code FsyncLimit} again (each run of it closes one triple and opens the next). Each triple's ratio is the
     * steps' rate over the mean of the preallocated-file force rates around it, and the figure is the median of the
     * ratios, because this disk's speed swings by 10x within seconds.
     */
    private void baselineAndSequentialSteps() throws IOException {
        begin();
        int triples = repeats * 3;
        int steps = 1_000;
        sequentialSteps(10_000, false); // warm-up: JIT compilation would otherwise land in the first measured run
        if (baselines == null) {
            double[] rates = new double[triples];
            for (int r = 0; r < triples; r++) {
                rates[r] = sequentialSteps(steps, false);
            }
            add("2 one execution", "1,000 sequential steps, SYNC", perSecond(median(rates)), "", "");
            add("2 one execution", "ratio to raw preallocated force", "no baseline", ">= 0.90", "");
            return;
        }
        double[] preallocated = new double[triples + 1];
        double[] growing = new double[triples + 1];
        double[] rates = new double[triples];
        double[] ratios = new double[triples];
        // where the default is virtual threads (Java 24+), the same steps on platform threads in the same triples
        boolean compare = Runtime.version().feature() >= 24;
        double[] platformRates = new double[triples];
        double[] platformRatios = new double[triples];
        for (int r = 0; r <= triples; r++) {
            Baselines.Force force = forceBaseline();
            preallocated[r] = force.preallocated();
            growing[r] = force.growing();
            if (r > 0) {
                double around = (preallocated[r - 1] + preallocated[r]) / 2;
                ratios[r - 1] = rates[r - 1] / around;
                platformRatios[r - 1] = platformRates[r - 1] / around;
            }
            if (r < triples) {
                boolean platformFirst = compare && r % 2 == 1; // neither gets the place next to the same force
                if (platformFirst) {
                    platformRates[r] = sequentialSteps(steps, true);
                }
                rates[r] = sequentialSteps(steps, false);
                if (compare && !platformFirst) {
                    platformRates[r] = sequentialSteps(steps, true);
                }
            }
        }
        add(
                "1 raw baseline",
                "FsyncLimit: 128 B write + force(false) over a preallocated file",
                perSecond(median(preallocated)),
                "",
                "");
        add("1 raw baseline", "FsyncLimit: same into a growing file (reference)", perSecond(median(growing)), "", "");
        add(
                "2 one execution",
                "1,000 sequential steps, SYNC, default settings"
                        + (compare
                                ? " (virtual threads, Java " + Runtime.version().feature() + ")"
                                : ""),
                perSecond(median(rates)),
                "",
                "");
        double ratio = median(ratios);
        add(
                "2 one execution",
                "ratio to the preallocated force, median of " + triples + " triples",
                String.format(Locale.ROOT, "%.2f", ratio),
                ">= 0.90",
                ratioVerdict(ratio, 0.90));
        if (compare) {
            add(
                    "2 one execution",
                    "virtualThreads(false), in the same triples: steps; ratio",
                    perSecond(median(platformRates)) + String.format(Locale.ROOT, "; %.2f", median(platformRatios)),
                    "",
                    "");
        }
    }

    private Baselines.Force forceBaseline() throws IOException {
        Path dir = fresh("fsync-limit");
        try {
            return baselines.force(dir);
        } finally {
            deleteTree(dir);
        }
    }

    /** Met, missed, or a ratio above the baseline's physical limit (a measurement bug, never a result). */
    private String ratioVerdict(double ratio, double target) {
        if (ratio > 1.05) {
            return "ABOVE THE PHYSICAL LIMIT: a measurement bug";
        }
        return verdict(ratio >= target);
    }

    // ---- 2. one execution, sequential steps

    /** One execution's {@code count} steps, each returning its index; the sum of them. */
    public static int steps(DurableContext ctx, int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            int value = i;
            sum += ctx.step("step", Integer.class, s -> value);
        }
        return sum;
    }

    /** One execution's {@code steps}, on platform threads if {@code platform} (virtual threads exist from Java 21). */
    private double sequentialSteps(int steps, boolean platform) {
        LocalRuntime.Builder builder = LocalRuntime.builder().directory(fresh("sequential"));
        if (platform) {
            builder.virtualThreads(false);
        }
        try (LocalRuntime rt = builder.open()) {
            rt.register("sequential", Integer.class, Integer.class, (n, ctx) -> steps(ctx, n));
            long start = System.nanoTime();
            rt.<Integer>start("sequential", "run", steps).result(Duration.ofMinutes(5));
            return steps / ((System.nanoTime() - start) / 1e9);
        }
    }

    // ---- 3. many concurrent executions

    /**
     * 1,000 executions x 100 steps with default settings, interleaved with the fixed {@code GroupCommitProbe} (one
     * writer, 1,000 threads, every force covering all queued records) on the same disk; then, as extra rows, the same
     * on 64 platform threads (the default before Java 24) where the default is virtual threads, on 256 platform
     * threads, and the journal alone.
     */
    private void concurrentExecutions() throws Exception {
        begin();
        int executions = 1000;
        int steps = 100;
        int threads = 256;
        boolean[] virtual = new boolean[1];
        double[] rates = new double[repeats];
        double[] probe = new double[repeats];
        double[] perForce = new double[repeats];
        double[] ratios = new double[repeats];
        double[] p50 = new double[repeats];
        double[] p99 = new double[repeats];
        double[] platform = new double[repeats];
        double[] tuned = new double[repeats];
        concurrentRun(Threads.DEFAULT, executions, steps, null, null, virtual); // warms up the JIT
        boolean defaultIsVirtual = virtual[0];
        for (int r = 0; r < repeats; r++) {
            if (baselines != null) {
                Path dir = fresh("group-commit-probe");
                Baselines.GroupCommit bare = baselines.groupCommit(executions, steps, dir);
                deleteTree(dir);
                probe[r] = bare.stepsPerSecond();
                perForce[r] = bare.recordsPerForce();
            }
            long[] latencies = new long[executions * steps];
            AtomicInteger next = new AtomicInteger();
            rates[r] = concurrentRun(Threads.DEFAULT, executions, steps, latencies, next, virtual);
            ratios[r] = rates[r] / probe[r];
            long[] measured = Arrays.copyOf(latencies, Math.min(next.get(), latencies.length));
            Arrays.sort(measured);
            p50[r] = measured[measured.length / 2] / 1e3;
            p99[r] = measured[(int) (measured.length * 0.99)] / 1e3;
            if (defaultIsVirtual) {
                platform[r] = concurrentRun(Threads.PLATFORM_64, executions, steps, null, null, virtual);
            }
            tuned[r] = concurrentRun(Threads.PLATFORM_256, executions, steps, null, null, virtual);
        }
        String item = "3 1,000 executions x 100 steps";
        double rate = median(rates);
        add(
                item,
                "SYNC, default settings ("
                        + (defaultIsVirtual
                                ? "virtual threads, Java "
                                : LocalRuntime.DEFAULT_THREADS + " platform threads, Java ")
                        + Runtime.version().feature() + ")",
                perSecond(rate),
                ">= 100,000/s",
                verdict(rate >= 100_000));
        if (baselines != null) {
            add(
                    item,
                    String.format(
                            Locale.ROOT, "GroupCommitProbe, same shape (%.0f records per force)", median(perForce)),
                    perSecond(median(probe)),
                    "",
                    "");
            double ratio = median(ratios);
            add(
                    item,
                    "ratio to GroupCommitProbe, median of interleaved pairs",
                    String.format(Locale.ROOT, "%.2f", ratio),
                    ">= 1.00",
                    verdict(ratio >= 1.0));
        }
        add(
                item,
                "step latency p50 / p99, default settings",
                String.format(Locale.ROOT, "%.2f / %.2f ms", median(p50) / 1e3, median(p99) / 1e3),
                "",
                "");
        if (defaultIsVirtual) {
            add(
                    item,
                    "virtualThreads(false): " + LocalRuntime.DEFAULT_THREADS
                            + " platform threads, the default before Java 24",
                    perSecond(median(platform)),
                    "",
                    "");
        }
        add(item, "tuned: " + threads + " platform threads", perSecond(median(tuned)), "", "");
        double[] journalAlone = new double[repeats];
        concurrentAppends(threads, 20_000); // warm-up
        for (int r = 0; r < repeats; r++) {
            journalAlone[r] = concurrentAppends(threads, 100_000);
        }
        add(
                item,
                "the journal alone: " + threads + " threads appending 100,000 records",
                perSecond(median(journalAlone)),
                "",
                "");
    }

    /** The handler threads a run of item 3 asks for. */
    private enum Threads {
        DEFAULT,
        PLATFORM_64,
        PLATFORM_256
    }

    /**
     * Runs {@code executions} x {@code steps} and returns steps per second. {@code latencies}, when given, receives
     * each step's latency at the index {@code next} hands out; {@code virtual[0]} says whether the handlers ran on
     * virtual threads.
     */
    private double concurrentRun(
            Threads threads, int executions, int steps, long[] latencies, AtomicInteger next, boolean[] virtual)
            throws Exception {
        LocalRuntime.Builder builder = LocalRuntime.builder().directory(fresh("concurrent"));
        if (threads != Threads.DEFAULT) {
            builder.virtualThreads(false).threads(threads == Threads.PLATFORM_64 ? LocalRuntime.DEFAULT_THREADS : 256);
        }
        try (LocalRuntime rt = builder.open()) {
            rt.register("timed", Integer.class, Integer.class, (n, ctx) -> {
                virtual[0] = isVirtual(Thread.currentThread());
                int sum = 0;
                for (int i = 0; i < n; i++) {
                    int value = i;
                    long t0 = System.nanoTime();
                    sum += ctx.step("step", Integer.class, s -> value);
                    long t1 = System.nanoTime();
                    if (latencies != null && !ctx.isReplaying()) {
                        int k = next.getAndIncrement();
                        if (k < latencies.length) {
                            latencies[k] = t1 - t0;
                        }
                    }
                }
                return sum;
            });
            long start = System.nanoTime();
            List<Execution<Integer>> all = startConcurrently(rt, "timed", executions, steps);
            for (Execution<Integer> e : all) {
                e.result(Duration.ofMinutes(5));
            }
            return (double) executions * steps / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** {@code Thread.isVirtual()}, reached reflectively: the harness is compiled for Java 17. */
    private static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private double concurrentAppends(int threads, int records) throws Exception {
        byte[] payload = "{\"value\":12345}".getBytes(StandardCharsets.UTF_8);
        try (FileJournal journal = FileJournal.open(fresh("appends"))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String execution = "execution-" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < records / threads; i++) {
                        journal.append(
                                new JournalRecord(RecordType.OPERATION, execution, Integer.toString(i), payload));
                    }
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            double rate = (double) (records / threads * threads) / ((System.nanoTime() - start) / 1e9);
            pool.shutdown();
            return rate;
        }
    }

    private static <O> List<Execution<O>> startConcurrently(LocalRuntime rt, String function, int count, Object input)
            throws Exception {
        ExecutorService starters = Executors.newFixedThreadPool(32);
        try {
            List<Future<Execution<O>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = function + "-" + i;
                futures.add(starters.submit(() -> rt.<O>start(function, name, input)));
            }
            List<Execution<O>> all = new ArrayList<>();
            for (Future<Execution<O>> f : futures) {
                all.add(f.get());
            }
            return all;
        } finally {
            starters.shutdown();
        }
    }

    // ---- 4. replay

    private static volatile CountDownLatch reachedNext;

    private void replay() throws Exception {
        begin();
        int steps = 100_000;
        Path dir = fresh("replay");
        ManualClock clock = new ManualClock();
        IntUnaryOperator hours = k -> k + 1;
        try (LocalRuntime rt = LocalRuntime.builder()
                .directory(dir)
                .clock(clock)
                .threads(repeats)
                .open()) {
            registerReplay(rt, steps);
            for (int k = 0; k < repeats; k++) {
                rt.start("replayed", "replay-" + k, hours.applyAsInt(k));
            }
            rt.awaitIdle(Duration.ofMinutes(10));
        }
        double[] resume = new double[repeats];
        double[] open = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long openStart = System.nanoTime();
            try (LocalRuntime rt =
                    LocalRuntime.builder().directory(dir).clock(clock).open()) {
                registerReplay(rt, steps);
                rt.awaitIdle(Duration.ofMinutes(1));
                open[k] = (System.nanoTime() - openStart) / 1e6;
                reachedNext = new CountDownLatch(1);
                long start = System.nanoTime();
                clock.advance(Duration.ofHours(1)); // execution k's timer is due now, and only its
                if (!reachedNext.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("execution replay-" + k + " did not resume");
                }
                resume[k] = (System.nanoTime() - start) / 1e6;
                rt.awaitIdle(Duration.ofMinutes(1));
            }
        }
        double ms = median(resume);
        add(
                "4 replay",
                "resume after 100,000 completed steps -> next new operation",
                String.format(Locale.ROOT, "%.1f ms", ms),
                "< 150 ms",
                verdict(ms < 150));
        add(
                "4 replay",
                "open the runtime holding such executions",
                String.format(Locale.ROOT, "%.0f ms", median(open)),
                "",
                "");
        double[] read = new double[repeats];
        try (FileJournal journal = FileJournal.open(dir)) {
            for (int k = 0; k < repeats; k++) {
                long start = System.nanoTime();
                int n = journal.read("replay-" + k).size();
                read[k] = (System.nanoTime() - start) / 1e6;
                if (n < steps) {
                    throw new IllegalStateException("replay-" + k + " has only " + n + " records");
                }
            }
        }
        add(
                "4 replay",
                "of which the journal read of its 100,000+ records",
                String.format(Locale.ROOT, "%.1f ms", median(read)),
                "",
                "");
    }

    private static void registerReplay(LocalRuntime rt, int steps) {
        rt.register("replayed", Integer.class, Integer.class, (hours, ctx) -> {
            int sum = steps(ctx, steps);
            ctx.wait("pause", Duration.ofHours(hours));
            return sum
                    + ctx.step("next", Integer.class, s -> {
                        CountDownLatch latch = reachedNext;
                        if (latch != null) {
                            latch.countDown();
                        }
                        return 1;
                    });
        });
    }

    // ---- 5. open a large journal

    private void openLargeJournal() throws Exception {
        begin();
        int executions = 10_000;
        int perExecution = 100;
        Path dir = fresh("large");
        byte[] payload = "{\"result\":{\"sku\":\"ABC-12345\",\"quantity\":3,\"reserved\":true},\"attempt\":1}"
                .getBytes(StandardCharsets.UTF_8);
        long buildStart = System.nanoTime();
        try (FileJournal journal = FileJournal.open(dir)) {
            int writers = 64;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int op = 0; op < perExecution; op++) {
                        for (int e = writer; e < executions; e += writers) {
                            journal.append(new JournalRecord(
                                    op == 0 ? RecordType.EXECUTION_STARTED : RecordType.OPERATION,
                                    "execution-" + e,
                                    op == 0 ? "" : Integer.toString(op),
                                    payload));
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        double[] withSnapshot = new double[repeats];
        double[] withoutSnapshot = new double[repeats];
        double[] firstRead = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            withSnapshot[r] = timeOpen(dir, firstRead, r);
            Files.delete(dir.resolve("index.snapshot")); // as after a crash before any snapshot
            withoutSnapshot[r] = timeOpen(dir, null, r);
        }
        double ms = median(withSnapshot);
        add(
                "5 open",
                String.format(
                        Locale.ROOT,
                        "10,000 executions, 1,000,000 records (%d MiB, written in %.1f s)",
                        bytes >> 20,
                        buildSeconds),
                String.format(Locale.ROOT, "%.0f ms", ms),
                "< 2 s",
                verdict(ms < 2000));
        double crash = median(withoutSnapshot);
        add(
                "5 open",
                "same, no index snapshot (crash before the first one)",
                String.format(Locale.ROOT, "%.0f ms", crash),
                "< 2 s",
                verdict(crash < 2000));
        add(
                "5 open",
                "then read one execution's 100 records",
                String.format(Locale.ROOT, "%.2f ms", median(firstRead)),
                "",
                "");
    }

    /**
     * The same size written by the engine itself (10,000 executions, each 99 steps then a wait): time for the runtime
     * to open (journal open plus every execution's state rebuilt), then for all of them to replay to their wait.
     */
    private void openLargeRuntime() throws Exception {
        begin();
        int executions = 10_000;
        int steps = 99;
        Path dir = fresh("large-runtime");
        long buildStart = System.nanoTime();
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(dir).threads(256).open()) {
            registerParked(rt, steps);
            startConcurrently(rt, "parked", executions, 1);
            rt.awaitIdle(Duration.ofMinutes(10));
        }
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        double[] ready = new double[repeats];
        double[] resumed = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            try (LocalRuntime rt =
                    LocalRuntime.builder().directory(dir).threads(256).open()) {
                registerParked(rt, steps);
                ready[r] = (System.nanoTime() - start) / 1e6;
                rt.awaitIdle(Duration.ofMinutes(10));
                resumed[r] = (System.nanoTime() - start) / 1e6;
                if (rt.list(dev.durable.ExecutionStatus.WAITING).size() != executions) {
                    throw new IllegalStateException("expected " + executions + " executions waiting after the replay");
                }
            }
        }
        double ms = median(ready);
        add(
                "5 open",
                String.format(
                        Locale.ROOT,
                        "LocalRuntime over 10,000 executions x 100 operations written by the"
                                + " engine (%.0f s to write): open + register returned",
                        buildSeconds),
                String.format(Locale.ROOT, "%.0f ms", ms),
                "< 2 s",
                verdict(ms < 2000));
        add(
                "5 open",
                "until idle: each scheduled from its suspension record, none replayed",
                String.format(Locale.ROOT, "%.0f ms", median(resumed)),
                "",
                "");
    }

    private static void registerParked(LocalRuntime rt, int steps) {
        rt.register("parked", Integer.class, Integer.class, (n, ctx) -> {
            for (int i = 0; i < steps; i++) {
                int step = i;
                ctx.step("s" + i, Integer.class, s -> n + step);
            }
            ctx.wait("park", Duration.ofDays(30));
            return n;
        });
    }

    private static double timeOpen(Path dir, double[] firstRead, int r) {
        long start = System.nanoTime();
        try (FileJournal journal = FileJournal.open(dir)) {
            double ms = (System.nanoTime() - start) / 1e6;
            long readStart = System.nanoTime();
            int n = journal.read("execution-" + (r * 977 % 10_000)).size();
            if (n != 100) {
                throw new IllegalStateException("expected 100 records, read " + n);
            }
            if (firstRead != null) {
                firstRead[r] = (System.nanoTime() - readStart) / 1e6;
            }
            return ms;
        }
    }

    // ---- 6. memory of suspended executions

    private void suspendedMemory() throws Exception {
        begin();
        int executions = 100_000;
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(fresh("suspended")).open()) {
            rt.register("sleeper", Integer.class, Integer.class, (n, ctx) -> {
                ctx.wait("nap", Duration.ofHours(1));
                return n;
            });
            long before = usedHeapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            startConcurrently(rt, "sleeper", executions, 1);
            rt.awaitIdle(Duration.ofMinutes(10));
            long after = usedHeapAfterGc();
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            int inHandlers = threadsInsideHandlers();
            double mib = (after - before) / (1024.0 * 1024.0);
            add(
                    "6 memory",
                    "heap held by 100,000 executions suspended on timers",
                    String.format(Locale.ROOT, "%.0f MiB (%.0f B each)", mib, (after - before) / (double) executions),
                    "< 256 MiB",
                    verdict(mib < 256));
            add(
                    "6 memory",
                    "threads held by them (threads in handler code; JVM total before/after)",
                    inHandlers + " (" + threadsBefore + "/" + threadsAfter + ")",
                    "0",
                    verdict(inHandlers == 0));
        }
    }

    // ---- 9. restart at scale

    private static volatile CountDownLatch dueFired;

    /**
     * A restart over 1,000,000 executions suspended on timers (100,000 with {@code --quick}), one of whose timers is
     * due when the runtime opens: time until {@code open} and {@code register} returned (ready), heap then, and how
     * long after ready the due timer's execution runs on.
     */
    private void restartAtScale() throws Exception {
        begin();
        int executions = quick ? 100_000 : 1_000_000;
        Path dir = fresh("restart");
        ManualClock clock = new ManualClock();
        double buildSeconds = writeSuspended(dir, clock, executions);
        clock.advance(Duration.ofHours(2)); // the timer of "due", and only its, falls due while the runtime is down
        dueFired = new CountDownLatch(1);
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        double readyMs;
        double firedMs;
        double heapMib;
        double allMs;
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            registerSleeper(rt);
            long ready = System.nanoTime();
            readyMs = (ready - start) / 1e6;
            if (!dueFired.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the due timer never fired");
            }
            firedMs = Math.max(0, System.nanoTime() - ready) / 1e6;
            heapMib = (usedHeapAfterGc() - heapBefore) / (1024.0 * 1024.0);
            rt.awaitIdle(Duration.ofMinutes(30));
            allMs = (System.nanoTime() - start) / 1e6;
        }
        String item = "9 restart at scale";
        String n = String.format(Locale.ROOT, "%,d", executions);
        add(
                item,
                String.format(
                        Locale.ROOT,
                        "%s executions suspended on timers (%.0f s to write): open + register returned",
                        n,
                        buildSeconds),
                String.format(Locale.ROOT, "%.0f ms", readyMs),
                "< 3 s",
                verdict(readyMs < 3000));
        add(
                item,
                "heap after ready, a due timer fired and a GC",
                String.format(Locale.ROOT, "%.0f MiB", heapMib),
                "< 500 MiB",
                verdict(heapMib < 500));
        add(
                item,
                "a timer due at open fires, after ready",
                String.format(Locale.ROOT, "%.0f ms", firedMs),
                "< 100 ms",
                verdict(firedMs < 100));
        add(item, "until the runtime is idle again", String.format(Locale.ROOT, "%.0f ms", allMs), "", "");
        deleteTree(dir);
    }

    /**
     * Writes {@code executions} executions suspended on timers, one of them due in an hour, and returns the seconds it
     * took. A method of its own: a runtime left in a local variable slot of the measuring method would stay reachable
     * and count in the heap measured before the restart.
     */
    private static double writeSuspended(Path dir, ManualClock clock, int executions) throws Exception {
        long buildStart = System.nanoTime();
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(dir).clock(clock).open()) {
            registerSleeper(rt);
            startConcurrently(rt, "sleeper", executions - 1, 24);
            rt.start("sleeper", "due", 1);
            rt.awaitIdle(Duration.ofMinutes(30));
        }
        return (System.nanoTime() - buildStart) / 1e9;
    }

    private static void registerSleeper(LocalRuntime rt) {
        rt.register("sleeper", Integer.class, Integer.class, (hours, ctx) -> {
            ctx.wait("nap", Duration.ofHours(hours));
            return ctx.step("woke", Integer.class, s -> {
                CountDownLatch latch = dueFired;
                if (latch != null && hours == 1) {
                    latch.countDown();
                }
                return hours;
            });
        });
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100); // let the collector finish its concurrent work before reading the gauge
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static int threadsInsideHandlers() {
        int n = 0;
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            for (StackTraceElement frame : info.getStackTrace()) {
                if (frame.getClassName().startsWith(Benchmarks.class.getName())) {
                    n++;
                    break;
                }
            }
        }
        return n - 1; // this thread
    }

    // ---- 7. MEMORY mode step overhead

    private static volatile int sink;

    private void memoryModeOverhead() {
        begin();
        int steps = 20_000;
        double[] perStep = new double[repeats];
        double[] perCall = new double[repeats];
        try (LocalRuntime rt = LocalRuntime.inMemory()) {
            rt.register("inMemory", Integer.class, Integer.class, (n, ctx) -> steps(ctx, n));
            for (int w = 0; w < 20; w++) { // warm up the JIT
                rt.<Integer>start("inMemory", "warmup-" + w, steps).result(Duration.ofMinutes(1));
                perCall(steps);
            }
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                rt.<Integer>start("inMemory", "measured-" + r, steps).result(Duration.ofMinutes(1));
                perStep[r] = (System.nanoTime() - start) / (double) steps;
                perCall[r] = perCall(steps);
            }
        }
        double overheadMicros = (median(perStep) - median(perCall)) / 1e3;
        add(
                "7 MEMORY mode",
                "a step over a plain method call (includes JSON of the result)",
                String.format(Locale.ROOT, "%.2f us", overheadMicros),
                "< 2 us",
                verdict(overheadMicros < 2));
    }

    private static double perCall(int calls) {
        long start = System.nanoTime();
        int sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += plain(i);
        }
        sink = sum;
        return (System.nanoTime() - start) / (double) calls;
    }

    private static int plain(int value) {
        return value;
    }

    // ---- reporting

    // ---- 8. what tracing costs

    private void tracingOverhead() {
        begin();
        TracingOverhead.Result memory = TracingOverhead.measure(TracingOverhead::memory, 20_000, repeats);
        TracingOverhead.Result sync =
                TracingOverhead.measure(() -> TracingOverhead.sync(fresh("traced")), 2_000, repeats);
        double floor = TracingOverhead.sdkFloor(20_000, repeats);
        TracingOverhead.Result sampled = TracingOverhead.measureSampled(200, 100, 0.01, repeats);
        for (var e : List.of(java.util.Map.entry("MEMORY, 20,000", memory), java.util.Map.entry("SYNC, 2,000", sync))) {
            TracingOverhead.Result r = e.getValue();
            add(
                    "8 tracing overhead",
                    e.getKey() + " sequential steps, without the OTel plugin",
                    perSecond(r.plain()),
                    "",
                    "");
            add(
                    "8 tracing overhead",
                    e.getKey() + " sequential steps, with it (spans read by the exporter, then dropped)",
                    perSecond(r.traced()),
                    "",
                    "");
            boolean inMemory = e.getKey().startsWith("MEMORY");
            add(
                    "8 tracing overhead",
                    e.getKey() + ": throughput lost",
                    String.format(Locale.ROOT, "%.1f %%", 100 * r.overhead()),
                    inMemory ? "< 10 %" : "invisible",
                    verdict(r.overhead() < (inMemory ? 0.10 : 0.05)));
            if (inMemory) {
                add(
                        "8 tracing overhead",
                        e.getKey() + ": what tracing adds to each step",
                        String.format(Locale.ROOT, "%.2f us", r.microsPerStep()),
                        "",
                        "");
                add(
                        "8 tracing overhead",
                        "baseline: the OTel SDK's own tracer, the same two spans per step, same exporter",
                        String.format(Locale.ROOT, "%.2f us", floor),
                        "",
                        "");
            }
        }
        add(
                "8 tracing overhead",
                "tuned: sampling 1 in 100 executions (traceIdRatioBased 0.01), MEMORY, 200 x 100 steps: lost",
                String.format(Locale.ROOT, "%.1f %%", 100 * sampled.overhead()),
                "< 10 %",
                verdict(sampled.overhead() < 0.10));
    }

    private Path fresh(String name) {
        return root.resolve(name + "-" + runs++);
    }

    /** Starts an item's window: its verdicts are unreliable if other processes were busy during it. */
    private void begin() {
        window = MachineLoad.start();
    }

    private String verdict(boolean met) {
        if (!window.quiet()) {
            return "unreliable: " + window.describe();
        }
        return met ? "met" : "MISSED";
    }

    private void add(String item, String measure, String value, String target, String verdict) {
        Row row = new Row(item, measure, value, target, verdict);
        rows.add(row);
        System.err.printf(Locale.ROOT, "  %-32s %-70s %s%n", item, measure, value);
    }

    private void describeMachine() throws IOException {
        FileStore store = Files.getFileStore(root);
        System.out.printf(
                Locale.ROOT,
                "machine: %d cpus, %s %s, Java %s (%s), max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(
                Locale.ROOT,
                "disk: %s (%s, %s), %d GiB free; data in %s%n",
                store.name(),
                store.type(),
                store.isReadOnly() ? "read-only" : "read-write",
                store.getUsableSpace() >> 30,
                root);
        System.out.printf(
                "load average before the run: %s (other processes share these cpus and this disk)%n",
                MachineLoad.loadAverage());
        System.out.printf(
                "baselines: %s%n",
                baselines == null ? "not found (ratios to them are not reported)" : baselines.source());
        System.out.printf(
                Locale.ROOT,
                "medians of %d runs each; a verdict reads 'unreliable' when other processes used more than %.0f %% of"
                        + " a CPU during its item%n%n",
                repeats,
                100 * MachineLoad.BUSY);
    }

    private void printTable() {
        String[] header = {"item", "measure", "median", "target", ""};
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
        }
        for (Row r : rows) {
            String[] cells = {r.item, r.measure, r.value, r.target, r.verdict};
            for (int i = 0; i < cells.length; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        System.out.printf("load average after the run: %s%n", MachineLoad.loadAverage());
        printRow(header, width);
        String[] rule = new String[header.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        printRow(rule, width);
        for (Row r : rows) {
            printRow(new String[] {r.item, r.measure, r.value, r.target, r.verdict}, width);
        }
    }

    private static void printRow(String[] cells, int[] width) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            line.append(' ')
                    .append(cells[i])
                    .append(" ".repeat(width[i] - cells[i].length()))
                    .append(" |");
        }
        System.out.println(line);
    }

    private static String perSecond(double rate) {
        return String.format(Locale.ROOT, "%,.0f/s", rate);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
