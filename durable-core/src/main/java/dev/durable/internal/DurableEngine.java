package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.ErrorInfo;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.Names;
import dev.durable.TypeToken;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalHistory;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay engine over any {@link Journal}: runs handlers on a bounded pool, suspends them without holding a
 * thread, wakes them on timers, callbacks and child executions, and resumes unfinished executions found in the
 * journal once their function is registered. {@code LocalRuntime} wraps it with the file journal; tests may use it
 * directly with a {@link dev.durable.spi.journal.MemoryJournal} and a {@link ManualClock}.
 *
 * <p>The engine is a facade over its parts: {@link Functions} (what is registered), {@link Executions} (the
 * execution table), {@link Scheduler} (runs, timers, idleness) on {@link HandlerThreads}, {@link HandlerRunner} (one
 * run of a handler), {@link Callbacks} (completions from outside, by {@link CallbackIndex}) and {@link PayloadCodec}
 * (serialization within the payload limit).
 */
public final class DurableEngine implements DurableRuntime {

    /** Handler threads by default; idle ones time out, so a quiet runtime holds none. */
    public static final int DEFAULT_THREADS = 64;

    /** The error type of an execution an operator failed while it was blocked ({@link #fail}). */
    public static final String OPERATOR_FAILURE = "OperatorFailure";

    static final Logger LOG = LoggerFactory.getLogger(DurableEngine.class);

    private final Journal journal;
    private final DurableClock clock;
    private final boolean ownsClock;
    private final boolean closeJournal;
    private final PayloadCodec codec;
    private final Functions functions = new Functions();
    private final Scheduler scheduler;
    private final Executions executions;
    private final Callbacks callbacks;
    private final Ownership ownership;
    /** Set once the parts it works on exist, like {@link #runner}. */
    private Sharing sharing;
    /** Set once the parts it runs with exist; the scheduler runs nothing before. */
    private HandlerRunner runner;

    private volatile boolean closed;

    DurableEngine(EngineBuilder b) {
        this.journal = Objects.requireNonNull(b.journal, "journal must not be null");
        this.ownsClock = b.clock == null;
        this.clock = b.clock == null ? DurableClock.system() : b.clock;
        this.closeJournal = b.closeJournal;
        this.codec = new PayloadCodec(b.serdes == null ? JsonSerDes.defaults() : b.serdes, b.payloadLimit);
        HandlerThreads threads =
                HandlerThreads.of(b.threads, DEFAULT_THREADS, b.threadFactory, b.executor, b.virtualThreads);
        this.ownership = b.ownership;
        this.scheduler = new Scheduler(
                threads,
                clock,
                e -> ownership.runsHandlers() && functions.get(e.function, e.version) != null,
                e -> runner.run(e),
                ownership,
                e -> sharing.release(e));
        Plugins plugins = new Plugins(b.plugins); // one per engine: it holds the engine's lookup of executions
        if (plugins.commits) {
            journal.observeCommits(plugins::committed);
        }
        this.executions = new Executions(journal, clock, functions, codec, scheduler, plugins, ownership);
        this.callbacks = new Callbacks(journal, clock, codec, executions, scheduler, plugins);
        this.runner = new HandlerRunner(new EngineParts(
                journal,
                clock,
                codec,
                functions,
                executions,
                scheduler,
                callbacks,
                threads,
                b.loggers == null ? LoggerFactory::getLogger : b.loggers,
                plugins,
                ownership));
        this.sharing = new Sharing(clock, functions, executions, scheduler, callbacks, ownership);
        executions.recover();
        callbacks.recovered(executions.snapshot());
    }

    /** Starts building an engine over a journal. */
    public static EngineBuilder builder() {
        return new EngineBuilder();
    }

    @Override
    public <I, O> void register(
            String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        register(RegisteredFunction.of(functionName, 1, inputType, outputType, handler, null));
    }

    @Override
    public <I, O> void register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler) {
        Type in = inputType == null ? null : inputType.type();
        Type out = outputType == null ? null : outputType.type();
        register(RegisteredFunction.of(functionName, 1, in, out, handler, null));
    }

    @Override
    public String register(Object durableFunction) {
        RegisteredFunction fn = AnnotatedFunction.of(durableFunction);
        register(fn);
        return fn.name();
    }

    private void register(RegisteredFunction fn) {
        functions.add(fn);
        // resume the unfinished executions of the version just registered; complete the ended ones' futures
        for (ExecutionEntry e : executions.snapshot()) {
            if (e.function.equals(fn.name()) && e.version == fn.version()) {
                if (e.outcome() != null) {
                    executions.completeFuture(e, fn, null, null);
                } else if (e.suspended && !ownership.shared()) { // as its suspension record has it: due later
                    scheduler.suspend(e, e.wakeAt);
                } else {
                    scheduler.schedule(e);
                }
            }
        }
    }

    @Override
    public <O> Execution<O> start(String functionName, String executionName, Object input) {
        Objects.requireNonNull(functionName, "functionName must not be null");
        Names.checkExecution(executionName);
        return new ExecutionHandle<>(
                executions.start(functions.require(functionName), executionName, input, null, null, null));
    }

    /**
     * Starts an execution with its input as JSON, as an HTTP endpoint or a tool receives it. The input must convert
     * to the function's input type (read strictly, as callback payloads are), or nothing is started.
     *
     * @throws SerializationException if the input does not convert
     */
    @Override
    public <O> Execution<O> startJson(String functionName, String executionName, String inputJson) {
        Objects.requireNonNull(functionName, "functionName must not be null");
        Names.checkExecution(executionName);
        Objects.requireNonNull(inputJson, "inputJson must not be null");
        RegisteredFunction fn = functions.require(functionName);
        codec.checkSize(inputJson, "the input of execution '" + executionName + "'");
        return new ExecutionHandle<>(
                executions.start(fn, executionName, fn.readInput(inputJson, codec), null, null, null));
    }

    @Override
    public <O> Execution<O> start(Class<?> functionClass, String executionName, Object input) {
        Objects.requireNonNull(functionClass, "functionClass must not be null");
        Names.checkExecution(executionName);
        return new ExecutionHandle<>(
                executions.start(functions.require(functionClass), executionName, input, null, null, null));
    }

    /**
     * How many unfinished executions each version of function {@code functionName} has, oldest version first: a
     * version that is no longer the newest and has none left can be removed from the code.
     */
    @Override
    public SortedMap<Integer, Integer> unfinishedByVersion(String functionName) {
        return executions.unfinishedByVersion(Objects.requireNonNull(functionName, "functionName must not be null"));
    }

    @Override
    public <O> Execution<O> execution(String executionName) {
        return new ExecutionHandle<>(executions.get(executionName));
    }

    @Override
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        Set<ExecutionStatus> wanted =
                statuses.length == 0 ? EnumSet.allOf(ExecutionStatus.class) : EnumSet.copyOf(Arrays.asList(statuses));
        return executions.snapshot().stream()
                .map(ExecutionEntry::info)
                .filter(i -> wanted.contains(i.status()))
                .toList();
    }

    @Override
    public boolean cancel(String executionName) {
        return executions.finish(
                executions.get(executionName),
                new ExecutionEntry.Outcome(ExecutionStatus.CANCELLED, null, null),
                null,
                null);
    }

    @Override
    public List<HistoryEvent> history(String executionName) {
        return JournalHistory.events(journal.read(executions.get(executionName).name));
    }

    /** Everything the journal holds about the execution, with its live status. */
    @Override
    public ExecutionDetails describe(String executionName) {
        ExecutionEntry e = executions.get(executionName);
        ExecutionStatus status;
        ErrorInfo blockedBy;
        synchronized (e) {
            status = e.status;
            blockedBy = status == ExecutionStatus.BLOCKED ? e.blockedBy : null;
        }
        return JournalHistory.details(e.name, History.of(e.name, journal.read(e.name)), status, blockedBy);
    }

    /**
     * Runs a failed execution again from its last successful operation: operations that failed are forgotten and
     * run again (with fresh attempts), everything that succeeded is replayed.
     *
     * @throws IllegalStateException if the execution has not failed
     */
    @Override
    public <O> Execution<O> retry(String executionName) {
        ExecutionEntry e = executions.get(executionName);
        boolean blocked;
        synchronized (e) {
            blocked = e.status == ExecutionStatus.BLOCKED;
            if (blocked) {
                e.status = ExecutionStatus.RUNNING; // due now, to be replayed again as it is: nothing to journal
                e.blockedBy = null;
            }
        }
        if (blocked) {
            scheduler.schedule(e);
            return new ExecutionHandle<>(e);
        }
        executions.retry(e);
        callbacks.retried(e.name);
        scheduler.schedule(e);
        return new ExecutionHandle<>(e);
    }

    /** Ends a blocked execution as failed, by an operator's decision; its error keeps where it diverged. */
    @Override
    public void fail(String executionName, String reason) {
        ExecutionEntry e = executions.get(executionName);
        ErrorInfo blockedBy;
        synchronized (e) {
            blockedBy = e.status == ExecutionStatus.BLOCKED ? e.blockedBy : null;
        }
        if (blockedBy == null) {
            throw new IllegalStateException("execution '" + e.name + "' is " + e.status + ", not BLOCKED; only an"
                    + " execution whose code no longer matches its history can be failed by an operator"
                    + (e.status.isTerminal() ? "" : " (cancel ends an execution that runs or waits)"));
        }
        String message = "failed by an operator"
                + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + " (it was BLOCKED: " + blockedBy.message() + ")";
        ErrorInfo error = new ErrorInfo(OPERATOR_FAILURE, message, List.of(), blockedBy);
        if (!executions.finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, error), null, null)) {
            throw new IllegalStateException("execution '" + e.name + "' ended meanwhile (" + e.status + ")");
        }
    }

    /**
     * Waits until no handler is running or queued: every execution has ended or is waiting. For tests driving a
     * {@link ManualClock}; returns false if that did not happen within {@code timeout}.
     */
    @Override
    public boolean awaitIdle(Duration timeout) {
        return scheduler.awaitIdle(timeout);
    }

    @Override
    public void completeCallback(String callbackId, Object payload) {
        scheduler.checkOpen();
        callbacks.complete(callbackId, payload);
    }

    @Override
    public void completeCallbackJson(String callbackId, String json) {
        Objects.requireNonNull(json, "json must not be null");
        scheduler.checkOpen();
        callbacks.completeJson(callbackId, json);
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message, String errorData) {
        scheduler.checkOpen();
        callbacks.fail(callbackId, errorType, message, errorData);
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        scheduler.checkOpen();
        callbacks.heartbeat(callbackId);
    }

    /**
     * Removes executions that ended before {@code before} from the journal and from this runtime, with their
     * callbacks. Returns how many were removed.
     */
    @Override
    public int forgetFinished(Instant before) {
        Objects.requireNonNull(before, "before must not be null");
        Set<String> gone = executions.forgetFinished(before);
        callbacks.forget(gone);
        return gone.size();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** The clock the engine runs on. */
    @Override
    public DurableClock clock() {
        return clock;
    }

    /** What a backend shared by several processes uses: adopting claimed executions and letting them go. */
    public Sharing sharing() {
        return sharing;
    }

    /** The journal the engine writes to. */
    public Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close(executions.snapshot());
        callbacks.close();
        if (ownsClock) {
            clock.shutdown();
        }
        if (closeJournal) {
            journal.close();
        }
    }
}
