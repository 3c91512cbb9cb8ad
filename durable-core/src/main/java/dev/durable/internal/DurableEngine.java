package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.DurableContext;
import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.HistoryEvent;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.Names;
import dev.durable.ParallelConfig;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.plugin.DurablePlugin;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
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
    /** Set once the parts it runs with exist; the scheduler runs nothing before. */
    private HandlerRunner runner;
    private volatile boolean closed;

    private DurableEngine(Builder b) {
        this.journal = Objects.requireNonNull(b.journal, "journal must not be null");
        this.ownsClock = b.clock == null;
        this.clock = b.clock == null ? DurableClock.system() : b.clock;
        this.closeJournal = b.closeJournal;
        this.codec = new PayloadCodec(b.serdes == null ? JsonSerDes.defaults() : b.serdes, b.payloadLimit);
        HandlerThreads threads = HandlerThreads.of(b.threads, DEFAULT_THREADS, b.threadFactory, b.executor,
                b.virtualThreads);
        this.ownership = b.ownership;
        this.scheduler = new Scheduler(threads, clock,
                e -> ownership.runsHandlers() && functions.get(e.function, e.version) != null,
                e -> runner.run(e), ownership, this::release);
        Plugins plugins = b.plugins.isEmpty() ? Plugins.NONE : new Plugins(b.plugins);
        this.executions = new Executions(journal, clock, functions, codec, scheduler, plugins, ownership);
        this.callbacks = new Callbacks(journal, clock, codec, executions, scheduler, plugins);
        this.runner = new HandlerRunner(new EngineParts(journal, clock, codec, functions, executions, scheduler,
                callbacks, threads, b.loggers == null ? LoggerFactory::getLogger : b.loggers, plugins, ownership));
        executions.recover();
        callbacks.recovered(executions.snapshot());
    }

    /** Starts building an engine over a journal. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public <I, O> void register(String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        register(RegisteredFunction.of(functionName, 1, inputType, outputType, handler, null));
    }

    @Override
    public <I, O> void register(String functionName, TypeToken<I> inputType, TypeToken<O> outputType,
                                DurableHandler<I, O> handler) {
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
        executions.registered(fn);
    }

    @Override
    public <O> Execution<O> start(String functionName, String executionName, Object input) {
        Objects.requireNonNull(functionName, "functionName must not be null");
        Names.checkExecution(executionName);
        return new ExecutionHandle<>(executions.start(functions.require(functionName), executionName, input, null,
                null, null));
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
        return new ExecutionHandle<>(executions.start(fn, executionName, fn.readInput(inputJson, codec), null, null,
                null));
    }

    @Override
    public <O> Execution<O> start(Class<?> functionClass, String executionName, Object input) {
        Objects.requireNonNull(functionClass, "functionClass must not be null");
        Names.checkExecution(executionName);
        return new ExecutionHandle<>(executions.start(functions.require(functionClass), executionName, input, null,
                null, null));
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
        return executions.list(statuses);
    }

    @Override
    public boolean cancel(String executionName) {
        return executions.finish(executions.get(executionName),
                new ExecutionEntry.Outcome(ExecutionStatus.CANCELLED, null, null), null, null);
    }

    @Override
    public List<HistoryEvent> history(String executionName) {
        return JournalHistory.events(journal.read(executions.get(executionName).name));
    }

    /** Everything the journal holds about the execution, with its live status. */
    @Override
    public ExecutionDetails describe(String executionName) {
        return executions.describe(executionName);
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
        executions.retry(e);
        callbacks.retried(e.name);
        scheduler.schedule(e);
        return new ExecutionHandle<>(e);
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

    // ---- for journals shared by several processes (see Ownership) -------------------------------------------

    /**
     * Takes over execution {@code name}, which the {@link Ownership} has just claimed for this process: reads it from
     * the journal afresh and, if {@code run}, runs it. Returns false if the journal has no execution of that name.
     */
    public boolean adopt(String name, boolean run) {
        ExecutionEntry e = executions.adopt(name);
        if (e == null) {
            return false;
        }
        callbacks.recovered(List.of(e));
        if (run) {
            scheduler.schedule(e);
        }
        return true;
    }

    /** Every registered function version as {@code name@version}: the executions this process can run. */
    public List<String> runnableFunctions() {
        List<String> keys = new ArrayList<>();
        for (String name : functions.names()) {
            for (int v : functions.versions(name)) {
                keys.add(name + "@" + v);
            }
        }
        return keys;
    }

    /** Whether this process holds execution {@code name} (it may run it and append to it). */
    public boolean holds(String name) {
        ExecutionEntry e = executions.held(name);
        return e != null && e.held;
    }

    /**
     * Lets go of an execution held here that is not running (one adopted only to change it from outside): it is
     * handed back to the {@link Ownership} as {@link #release} would after a run.
     */
    public void letGo(String name) {
        ExecutionEntry e = executions.held(name);
        if (e != null) {
            scheduler.letGoIdle(e);
        }
    }

    /** The unfinished executions held elsewhere that a caller of this process waits for. */
    public List<String> awaitedElsewhere() {
        return executions.awaitedElsewhere();
    }

    /** Tells the engine that execution {@code name}, held elsewhere, has ended: its waiting callers get the outcome. */
    public void endedElsewhere(String name) {
        executions.endedElsewhere(name);
    }

    /** Hands an execution whose run ended back to the {@link Ownership}; forgets it if it is let go. */
    private Ownership.Release release(ExecutionEntry e) {
        if (!ownership.shared()) {
            return Ownership.Release.KEEP;
        }
        boolean ended = e.outcome() != null;
        Instant wakeAt;
        synchronized (e) {
            wakeAt = ended ? null : e.suspended ? e.wakeAt : clock.now();
        }
        if (!ended) {
            Instant deadline = callbacks.nextDeadline(e.name);
            if (deadline != null && (wakeAt == null || deadline.isBefore(wakeAt))) {
                wakeAt = deadline;
            }
        }
        Ownership.Release r;
        try {
            r = ownership.release(e.name, ended, wakeAt);
        } catch (RuntimeException failed) {
            LOG.warn("execution '{}' could not be handed back ({}); another process takes it over when its lease"
                    + " runs out", e.name, failed.getMessage());
            r = Ownership.Release.LET_GO;
        }
        if (r == Ownership.Release.LET_GO) {
            executions.evict(e);
            callbacks.forget(Set.of(e.name));
        }
        return r;
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

    /** Builds a {@link DurableEngine}. */
    public static final class Builder {
        private Journal journal;
        private DurableClock clock;
        private SerDes serdes;
        private long payloadLimit = DurableRuntime.DEFAULT_PAYLOAD_LIMIT;
        private Integer threads;
        private ThreadFactory threadFactory;
        private Executor executor;
        private ThreadFactory virtualThreads;
        private Function<String, Logger> loggers;
        private boolean closeJournal = true;
        private final List<DurablePlugin> plugins = new ArrayList<>();
        private Ownership ownership = Ownership.SOLE;

        private Builder() {}

        /**
         * Who runs which execution when other processes share the journal; default {@link Ownership#SOLE} (this
         * process owns every execution of its journal).
         */
        public Builder ownership(Ownership ownership) {
            this.ownership = Objects.requireNonNull(ownership, "ownership must not be null");
            return this;
        }

        /** Adds a plugin: it sees every execution's invocations, operations and attempts (see {@link DurablePlugin}). */
        public Builder plugin(DurablePlugin plugin) {
            plugins.add(Objects.requireNonNull(plugin, "plugin must not be null"));
            return this;
        }

        /** Adds every {@link DurablePlugin} that {@link ServiceLoader} finds; without this call none is loaded. */
        public Builder discoverPlugins() {
            ServiceLoader.load(DurablePlugin.class).forEach(plugins::add);
            return this;
        }

        /** Where to checkpoint (required). */
        public Builder journal(Journal journal) {
            this.journal = journal;
            return this;
        }

        /** Whether {@link DurableEngine#close()} closes the journal too (default true). */
        public Builder closeJournal(boolean close) {
            this.closeJournal = close;
            return this;
        }

        /** The time source; default wall-clock time. Tests pass a {@link ManualClock}. */
        public Builder clock(DurableClock clock) {
            this.clock = clock;
            return this;
        }

        /** The serializer for inputs, results and payloads; default {@link JsonSerDes}. */
        public Builder serdes(SerDes serdes) {
            this.serdes = serdes;
            return this;
        }

        /** The largest serialized input, result or payload, in bytes; default 256 KiB. */
        public Builder payloadLimit(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("payloadLimit must be positive, was " + bytes);
            }
            this.payloadLimit = bytes;
            return this;
        }

        /**
         * How many handlers run at once; suspended executions hold none. Default 64: handlers spend most of their
         * time waiting for the journal's force, and more of them share each force (group commit). On virtual
         * threads the default is no limit.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Makes the threads that run handlers and parallel branches, instead of the runtime's daemon threads: to name
         * them, set their priority or context, or count them. The runtime still runs at most {@link #threads} handlers
         * at once.
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory must not be null");
            return this;
        }

        /**
         * Runs handlers on {@code executor} instead of a pool of the runtime's own; its size is then the limit of
         * handlers running at once. The runtime never shuts it down: shut it down after closing the runtime.
         * Parallel branches still run on threads of the runtime (or of {@link #threadFactory}), since a handler
         * waits for its branches and must not starve them of the executor's threads.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Runs handlers and parallel branches on virtual threads (Java 21 and later): a handler waiting for the
         * journal then holds no platform thread, handlers run without a limit unless {@link #threads} sets one, and
         * {@code parallel} and {@code map} without a {@link ParallelConfig#maxConcurrency() maxConcurrency} of their
         * own run every branch at once.
         *
         * @throws UnsupportedOperationException on Java before 21, which has no virtual threads
         */
        public Builder virtualThreads(boolean virtual) {
            this.virtualThreads = virtual ? HandlerThreads.virtualThreadFactory() : null;
            return this;
        }

        /** Where {@link DurableContext#logger()} writes; default SLF4J's {@code LoggerFactory}. */
        public Builder loggers(Function<String, Logger> loggers) {
            this.loggers = loggers;
            return this;
        }

        /** Opens the engine: reads the journal and resumes unfinished executions as their functions register. */
        public DurableEngine build() {
            return new DurableEngine(this);
        }
    }
}
