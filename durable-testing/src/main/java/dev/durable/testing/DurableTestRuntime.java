package dev.durable.testing;

import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

/**
 * A {@link DurableRuntime} for tests: a {@link LocalRuntime} on a {@link ManualClock}, in memory by default. Time
 * moves only when the test says so, so day-long waits, retry delays, callback timeouts and polling take no time at
 * all, and no test ever sleeps.
 *
 * <p>Every method returns once the runtime is idle: each execution has ended or is waiting (on time, a callback or
 * a child execution), so what a test inspects next is settled.
 *
 * <pre>{@code
 * @DurableTest
 * class OrderProcessorTest {
 *     @Test
 *     void approvedOrdersShip(DurableTestRuntime rt) {
 *         rt.register(new OrderProcessor_Durable(inventory, payments, mailer));
 *         TestExecution<Receipt> ex = rt.run(rt.start(OrderProcessor.class, "order-42", anOrder()));
 *         ex.completeCallback("askManager", new Decision(true));        // run() stopped at the callback
 *         assertThat(ex.run().result().shipped()).isTrue();             // the 24 h cooling-off took no time
 *         rt.assertReplaysDeterministically("order-42");
 *     }
 * }
 * }</pre>
 */
public final class DurableTestRuntime implements DurableRuntime {
    /** Where the clock starts unless told otherwise: 2025-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    /** Finished executions are kept this long by default: tests that skip months still find them. */
    static final Duration KEEP_FOREVER = Duration.ofDays(100 * 365);

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_TIMERS_PER_RUN = 100_000;

    private final Registrations registrations = new Registrations();
    private final ManualClock clock;
    private final MemoryJournal memory;
    private final Path directory;
    private final boolean deleteDirectory;
    private final SerDes serdes;
    private final Duration retention;
    private volatile LocalRuntime runtime;
    private volatile boolean closed;
    private final List<CapturingLogger.Line> logLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Armed by {@link #restartAfterRecord}: the execution and record after which the process dies. */
    private volatile String crashExecution;

    private volatile int crashAfter;
    private volatile CrashingJournal crashing;

    private DurableTestRuntime(Builder b) {
        this.clock = new ManualClock(b.start);
        this.directory = b.directory;
        this.memory = b.directory == null ? new MemoryJournal() : null;
        this.deleteDirectory = b.deleteDirectory;
        this.serdes = b.serdes;
        this.retention = b.retention;
        this.runtime = openRuntime();
    }

    /** A runtime with an in-memory journal, its clock at {@link #DEFAULT_START}. */
    public static DurableTestRuntime inMemory() {
        return builder().open();
    }

    /** Starts configuring a runtime: start time, file journal, serializer. */
    public static Builder builder() {
        return new Builder();
    }

    private LocalRuntime openRuntime() {
        LocalRuntime.Builder b = LocalRuntime.builder()
                .clock(clock)
                .retention(retention)
                .loggers(name -> new CapturingLogger(LoggerFactory.getLogger(name), logLines));
        if (serdes != null) {
            b.serdes(serdes);
        }
        Journal journal;
        if (memory != null) {
            memory.reopen();
            journal = memory;
        } else {
            journal = FileJournal.open(directory, FileJournalOptions.defaults().durability(Durability.SYNC));
            b.directory(directory);
        }
        String crashAt = crashExecution;
        crashExecution = null;
        if (crashAt != null) {
            crashing = new CrashingJournal(journal, crashAt, crashAfter);
            journal = crashing;
        } else {
            crashing = null;
        }
        b.journal(journal);
        LocalRuntime opened = b.open();
        try {
            registrations.applyTo(opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    private LocalRuntime current() {
        if (closed) {
            throw new IllegalStateException(
                    "this DurableTestRuntime is closed; the extension closes it after each test");
        }
        return runtime;
    }

    // ---- registration and starting ----------------------------------------------------------------------------

    /** Registers a handler; it is registered again after {@link #restart()} and in every replay. */
    @Override
    public <I, O> void register(
            String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        apply(registrations.add(functionName, inputType, outputType, handler));
    }

    /** Registers a handler with generic input or output types; see {@link #register(String, Class, Class, DurableHandler)}. */
    @Override
    public <I, O> void register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler) {
        apply(registrations.add(functionName, inputType, outputType, handler));
    }

    /**
     * Registers a {@code @DurableFunction} instance: a generated {@code _Durable} proxy, or a plain instance when the
     * JVM runs with the durable agent. The same instance is registered again after {@link #restart()} and in every
     * replay, as a restarted process would build it.
     */
    @Override
    public String register(Object durableFunction) {
        return apply(registrations.add(durableFunction));
    }

    private String apply(Function<DurableRuntime, String> registration) {
        String name;
        try {
            name = registration.apply(current());
        } catch (RuntimeException e) {
            registrations.remove(registration);
            throw e;
        }
        awaitIdle();
        return name;
    }

    /** Starts an execution and lets it run until it ends or waits; see {@link #run(String)} to go on past waits. */
    @Override
    public <O> TestExecution<O> start(String functionName, String executionName, Object input) {
        current().start(functionName, executionName, input);
        awaitIdle();
        return new TestExecution<>(this, executionName);
    }

    /** Starts an execution of a {@code @DurableFunction} class and lets it run until it ends or waits. */
    @Override
    public <O> TestExecution<O> start(Class<?> functionClass, String executionName, Object input) {
        current().start(functionClass, executionName, input);
        awaitIdle();
        return new TestExecution<>(this, executionName);
    }

    /** Starts an execution with JSON input and lets it run until it ends or waits. */
    @Override
    public <O> TestExecution<O> startJson(String functionName, String executionName, String inputJson) {
        current().startJson(functionName, executionName, inputJson);
        awaitIdle();
        return new TestExecution<>(this, executionName);
    }

    /** Retries a failed execution and lets it run until it ends or waits. */
    @Override
    public <O> TestExecution<O> retry(String executionName) {
        current().retry(executionName);
        awaitIdle();
        return new TestExecution<>(this, executionName);
    }

    @Override
    public int forgetFinished(java.time.Instant before) {
        return current().forgetFinished(before);
    }

    @Override
    public java.util.SortedMap<Integer, Integer> unfinishedByVersion(String functionName) {
        return current().unfinishedByVersion(functionName);
    }

    /**
     * The execution of that name, for inspection.
     *
     * @throws dev.durable.UnknownExecutionException if there is none
     */
    @Override
    public <O> TestExecution<O> execution(String executionName) {
        current().execution(executionName);
        return new TestExecution<>(this, executionName);
    }

    @Override
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        return current().list(statuses);
    }

    @Override
    public boolean cancel(String executionName) {
        boolean cancelled = current().cancel(executionName);
        awaitIdle();
        return cancelled;
    }

    @Override
    public void fail(String executionName, String reason) {
        current().fail(executionName, reason);
        awaitIdle();
    }

    // ---- driving time -----------------------------------------------------------------------------------------

    /**
     * Drives an execution to its end: lets it run, then moves the clock to its next wait, retry delay or poll (or
     * that of a child execution it invoked), over and over. Returns when it has ended, or when it waits only on
     * callbacks, so the test can complete them (or {@link #advance} past their timeout) and call {@code run} again,
     * or when it is {@link ExecutionStatus#BLOCKED} (its code no longer matches its history).
     *
     * @throws AssertionFailedError if the execution does not settle, or no registered function runs it
     */
    public <O> TestExecution<O> run(String executionName) {
        TestExecution<O> execution = execution(executionName);
        for (int i = 0; i < MAX_TIMERS_PER_RUN; i++) {
            awaitIdle();
            List<ExecutionDetails> family = family(executionName);
            ExecutionDetails root = family.get(0);
            ExecutionStatus status = root.info().status();
            if (status.isTerminal() || status == ExecutionStatus.BLOCKED) {
                return execution;
            }
            if (status == ExecutionStatus.RUNNING) {
                throw new AssertionFailedError("execution '" + executionName + "' is RUNNING but no handler runs it;"
                        + " register function '" + root.info().function() + "' with this runtime");
            }
            Instant due = Pending.nextTimer(family);
            if (due == null) {
                return execution;
            }
            if (!due.isAfter(clock.now())) {
                throw new AssertionFailedError("execution '" + executionName + "' waits at " + Pending.describe(root)
                        + ", due at " + due + ", but it did not resume at " + clock.now() + "; this is a bug in the"
                        + " runtime or the kit, please report it with this test");
            }
            clock.advanceTo(due);
        }
        throw new AssertionFailedError("execution '" + executionName + "' did not end after " + MAX_TIMERS_PER_RUN
                + " waits, retries and polls; it now waits at " + Pending.describe(describe(executionName))
                + ". Does it loop forever?");
    }

    /** {@link #run(String)} for a handle from {@link #start}. */
    public <O> TestExecution<O> run(Execution<O> execution) {
        return run(execution.name());
    }

    /**
     * Moves the clock forward by {@code duration}: timers that fall due fire in order, and the executions they wake
     * run (and idle) at the time of their timer before the clock moves on, as they would in real time.
     */
    public DurableTestRuntime advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; got " + duration);
        }
        return advanceTo(clock.now().plus(duration));
    }

    /** Moves the clock forward to {@code instant} as {@link #advance} does; nothing happens if it is not ahead. */
    public DurableTestRuntime advanceTo(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        awaitIdle();
        for (Instant next = clock.nextTimer(); next != null && !next.isAfter(instant); next = clock.nextTimer()) {
            clock.advanceTo(next);
            awaitIdle();
        }
        clock.advanceTo(instant);
        return awaitIdle();
    }

    /** The virtual time. */
    public Instant now() {
        return clock.now();
    }

    @Override
    public boolean isOpen() {
        return !closed && runtime.isOpen();
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        return current().awaitIdle(timeout);
    }

    @Override
    public List<dev.durable.HistoryEvent> history(String executionName) {
        return current().history(executionName);
    }

    /**
     * Waits until nothing can progress without time passing or the outside world acting:
     * {@link #awaitIdle(Duration)} with a fixed timeout, failing the test when it passes. If a crash armed by
     * {@link #restartAfterRecord} has happened, the runtime is then restarted and this waits again.
     *
     * @throws AssertionFailedError if handlers still run after 10 s (a blocked step body, say)
     */
    public DurableTestRuntime awaitIdle() {
        while (true) {
            if (!current().awaitIdle(IDLE_TIMEOUT)) {
                throw new AssertionFailedError(
                        "handlers still run after " + IDLE_TIMEOUT.toSeconds() + " s; a step body"
                                + " or handler seems blocked (durable waits never block: the kit completes them by moving the"
                                + " clock). Running: " + current().list(ExecutionStatus.RUNNING));
            }
            CrashingJournal c = crashing;
            if (c == null || !c.crashed()) {
                return this;
            }
            current().close();
            runtime = openRuntime();
        }
    }

    /**
     * Arms a crash: once execution {@code executionName} has {@code record} records in the journal (its start is
     * record 1), the process dies: nothing after that record is written, so the handler stops exactly there (after
     * an at-most-once step's start and before its outcome, if that is the record). The kit then restarts the runtime
     * over the journal as it stood and the execution resumes, as it would after a real crash; {@link #run} and
     * {@link #advance} carry on through the restart.
     *
     * <pre>{@code
     * kit.restartAfterRecord("order-1", 3);
     * kit.start("orders", "order-1", order);
     * assertThat(kit.run("order-1").result()).isEqualTo("shipped");
     * }</pre>
     */
    public DurableTestRuntime restartAfterRecord(String executionName, int record) {
        Objects.requireNonNull(executionName, "executionName");
        if (record < 1) {
            throw new IllegalArgumentException("record counts from 1 (the execution's start), was " + record);
        }
        awaitIdle();
        crashExecution = executionName;
        crashAfter = record;
        current().close();
        runtime = openRuntime();
        return awaitIdle();
    }

    /**
     * What execution {@code executionName} logged through {@code ctx.logger()} or a step's logger, formatted, in
     * order, across restarts: a line replayed code did not emit again appears once.
     */
    public List<String> logLines(String executionName) {
        return logLines.stream()
                .filter(l -> executionName.equals(l.execution()))
                .map(CapturingLogger.Line::message)
                .toList();
    }

    /**
     * Simulates a process restart: closes the runtime and opens a new one over the same journal (and clock), with
     * the same functions registered again; unfinished executions resume as they would in production.
     */
    public DurableTestRuntime restart() {
        awaitIdle();
        current().close();
        runtime = openRuntime();
        return awaitIdle();
    }

    // ---- callbacks ----------------------------------------------------------------------------------------------

    @Override
    public void completeCallback(String callbackId, Object payload) {
        current().completeCallback(callbackId, payload);
        awaitIdle();
    }

    @Override
    public void completeCallbackJson(String callbackId, String json) {
        current().completeCallbackJson(callbackId, json);
        awaitIdle();
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message) {
        current().failCallback(callbackId, errorType, message);
        awaitIdle();
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        current().heartbeatCallback(callbackId);
        awaitIdle();
    }

    /** Completes the pending callback named {@code operationName} of an execution; see {@link TestExecution#completeCallback}. */
    public void completeCallback(String executionName, String operationName, Object payload) {
        execution(executionName).completeCallback(operationName, payload);
    }

    /** Fails the pending callback named {@code operationName} of an execution. */
    public void failCallback(String executionName, String operationName, String errorType, String message) {
        execution(executionName).failCallback(operationName, errorType, message);
    }

    /** Heartbeats the pending callback named {@code operationName} of an execution. */
    public void heartbeatCallback(String executionName, String operationName) {
        execution(executionName).heartbeatCallback(operationName);
    }

    // ---- inspection ---------------------------------------------------------------------------------------------

    /** Everything the journal holds about an execution, with its live status. */
    @Override
    public ExecutionDetails describe(String executionName) {
        return current().describe(executionName);
    }

    /** The journal records of one execution's history, in order. */
    public List<JournalRecord> records(String executionName) {
        return journal().read(executionName).stream()
                .filter(r -> r.type().inHistory())
                .toList();
    }

    /** The journal: a {@link MemoryJournal}, or the file journal of {@link Builder#fileJournal(Path)}. */
    public Journal journal() {
        return current().journal();
    }

    /** The virtual clock. */
    @Override
    public ManualClock clock() {
        return clock;
    }

    /** The runtime underneath (a new one after each {@link #restart()}). */
    public LocalRuntime runtime() {
        return current();
    }

    /** The serializer the runtime uses for inputs, results and payloads. */
    SerDes serdes() {
        return serdes != null ? serdes : JsonSerDes.defaults();
    }

    Registrations registrations() {
        return registrations;
    }

    /** The execution and every execution it invoked, directly or not, the execution first. */
    List<ExecutionDetails> family(String executionName) {
        List<ExecutionDetails> family = new ArrayList<>();
        family.add(describe(executionName));
        for (String child : descendants(executionName, current().list())) {
            family.add(describe(child));
        }
        return family;
    }

    static List<String> descendants(String executionName, List<ExecutionInfo> all) {
        List<String> found = new ArrayList<>();
        List<String> frontier = List.of(executionName);
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (ExecutionInfo info : all) {
                if (info.parent() != null && frontier.contains(info.parent()) && !found.contains(info.name())) {
                    next.add(info.name());
                }
            }
            found.addAll(next);
            frontier = next;
        }
        return found;
    }

    // ---- replay checks ------------------------------------------------------------------------------------------

    /**
     * Checks that an ended execution survives a crash at every point: for each prefix of its journal (a crash
     * after each acknowledged record), opens a fresh runtime over a copy of that prefix, registers the same
     * functions, drives it to its end (callbacks the original run completed get the same payload) and checks that
     * it ends as the original did, journals no completed operation again and performs the same operations.
     *
     * <p>Step bodies run again only where the crash came before their outcome was journaled, so give the test
     * doubles they call answers that depend on their input, not on how often they were called.
     *
     * @throws AssertionFailedError naming each crash point that gives a different run: the operation, what the
     *     original run journaled and what the replay did
     */
    public void assertReplaysDeterministically(String executionName) {
        awaitIdle();
        new ReplayCheck(this, executionName).run();
    }

    /** {@link #assertReplaysDeterministically(String)} for a handle from {@link #start}. */
    public void assertReplaysDeterministically(Execution<?> execution) {
        assertReplaysDeterministically(execution.name());
    }

    /**
     * Starts an execution, {@link #run runs} it to its end, then checks it as
     * {@link #assertReplaysDeterministically(String)} does. For executions that wait on callbacks, start and run
     * them yourself, complete the callbacks, then call the one-argument form.
     *
     * @return the execution, ended
     */
    public <O> TestExecution<O> assertReplaysDeterministically(
            String functionName, String executionName, Object input) {
        start(functionName, executionName, input);
        return runToEndThenCheck(executionName);
    }

    /** {@link #assertReplaysDeterministically(String, String, Object)} for a {@code @DurableFunction} class. */
    public <O> TestExecution<O> assertReplaysDeterministically(
            Class<?> functionClass, String executionName, Object input) {
        start(functionClass, executionName, input);
        return runToEndThenCheck(executionName);
    }

    private <O> TestExecution<O> runToEndThenCheck(String executionName) {
        TestExecution<O> execution = run(executionName);
        if (!execution.status().isTerminal()) {
            throw new AssertionFailedError("execution '" + executionName + "' waits at "
                    + Pending.describe(describe(executionName)) + "; run it yourself, complete its callbacks, then call"
                    + " assertReplaysDeterministically(\"" + executionName + "\")");
        }
        assertReplaysDeterministically(executionName);
        return execution;
    }

    /**
     * A journal replayer with this runtime's functions registered: replays saved journals against the current code.
     *
     * <pre>{@code
     * rt.replayer().replay(Path.of("src/test/resources/journals/orders-v1")).assertDeterministic();
     * }</pre>
     */
    public JournalReplayer replayer() {
        return new JournalReplayer(registrations, serdes);
    }

    /** Closes the runtime (and deletes the journal directory the extension created for it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runtime.close();
        } finally {
            if (deleteDirectory && directory != null) {
                deleteRecursively(directory);
            }
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    @Override
    public String toString() {
        return "DurableTestRuntime{" + (memory != null ? "memory" : directory) + ", now " + clock.now() + "}";
    }

    /** Configures a {@link DurableTestRuntime}. */
    public static final class Builder {
        private Instant start = DEFAULT_START;
        private Path directory;
        private boolean deleteDirectory;
        private SerDes serdes;
        private Duration retention = KEEP_FOREVER;

        private Builder() {}

        /** Where the virtual clock starts; default {@link DurableTestRuntime#DEFAULT_START}. */
        public Builder startAt(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * Journals to files in {@code directory} (SYNC durability) instead of memory, so that {@link #restart()}
         * reopens the real file journal. Pair it with JUnit's {@code @TempDir}.
         */
        public Builder fileJournal(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        Builder deleteDirectoryOnClose() {
            this.deleteDirectory = true;
            return this;
        }

        /** The serializer of inputs, results and payloads; default JSON. */
        public Builder serdes(SerDes serdes) {
            this.serdes = serdes;
            return this;
        }

        /** How long finished executions are kept; default a century, so tests that skip months still find them. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** Opens the runtime. */
        public DurableTestRuntime open() {
            return new DurableTestRuntime(this);
        }
    }
}
