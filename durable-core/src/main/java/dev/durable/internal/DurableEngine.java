package dev.durable.internal;

import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.EventCodec;
import dev.durable.DurableClock;
import dev.durable.DurableException;
import dev.durable.DurableHandler;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.DurableRuntime;
import dev.durable.ErrorInfo;
import dev.durable.Execution;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.spi.journal.History;
import dev.durable.HistoryEvent;
import dev.durable.JournalException;
import dev.durable.JsonSerDes;
import dev.durable.Names;
import dev.durable.PayloadTooLargeException;
import dev.durable.spi.weaving.ProxyRegistration;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.TypeToken;
import dev.durable.UnknownExecutionException;
import dev.durable.ManualClock;
import dev.durable.DurableContext;


import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay engine over any {@link Journal}: runs handlers on a bounded pool, suspends them without holding a
 * thread, wakes them on timers, callbacks and child executions, and resumes unfinished executions found in the
 * journal once their function is registered. {@code LocalRuntime} wraps it with the file journal; tests may use it
 * directly with a {@link dev.durable.spi.journal.MemoryJournal} and a {@link ManualClock}.
 */
public final class DurableEngine implements DurableRuntime {

    /** Handler threads by default; idle ones time out, so a quiet runtime holds none. */
    public static final int DEFAULT_THREADS = 64;

    static final Logger LOG = LoggerFactory.getLogger(DurableEngine.class);

    final Journal journal;
    final DurableClock clock;
    final SerDes serdes;
    final ExecutorService branchPool;
    final Callbacks callbacks = new Callbacks(this);
    volatile boolean closed;

    private final long payloadLimit;
    private final boolean ownsClock;
    private final boolean closeJournal;
    private final Function<String, Logger> loggers;
    private final ThreadPoolExecutor runners;
    private final Functions functions = new Functions();
    private final Map<Class<?>, RegisteredFunction> functionClasses = new ConcurrentHashMap<>();
    private final Map<String, ExecutionEntry> executions = new ConcurrentHashMap<>();
    private final List<ExecutionEntry> order = new ArrayList<>();
    /** Guards {@link #order}; held only briefly. */
    private final Object startLock = new Object();
    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Object idle = new Object();

    private DurableEngine(Builder b) {
        this.journal = Objects.requireNonNull(b.journal, "journal must not be null");
        this.ownsClock = b.clock == null;
        this.clock = b.clock == null ? DurableClock.system() : b.clock;
        this.serdes = b.serdes == null ? JsonSerDes.defaults() : b.serdes;
        this.payloadLimit = b.payloadLimit;
        this.closeJournal = b.closeJournal;
        this.loggers = b.loggers == null ? LoggerFactory::getLogger : b.loggers;
        this.runners = new ThreadPoolExecutor(b.threads, b.threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("durable-runner-"));
        this.runners.allowCoreThreadTimeOut(true);
        this.branchPool = Executors.newCachedThreadPool(daemon("durable-branch-"));
        recover();
    }

    /** Starts building an engine over a journal. */
    public static Builder builder() {
        return new Builder();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- recovery ---------------------------------------------------------------------------------------------

    /**
     * Loads what the runtime keeps in memory: each execution's start and, if it ended, its end. Only the first and
     * last record of each execution are read, so opening stays fast however long the histories are; operations are
     * read when an execution runs, callbacks when one is first needed ({@link #indexCallbacks}).
     */
    private void recover() {
        for (String id : journal.executionIds()) {
            JournalRecord first = journal.first(id);
            if (first == null) {
                continue;
            }
            if (first.type() != RecordType.EXECUTION_STARTED) {
                throw History.missingStart(id);
            }
            ExecutionEvent s = EventCodec.readExecution(first);
            ExecutionEntry e = new ExecutionEntry(id, s.function(), s.functionVersion(), s.input(), s.at(), s.parent(),
                    s.parentOperation());
            JournalRecord last = journal.last(id);
            if (last.type() == RecordType.EXECUTION_FINISHED) {
                ExecutionEvent f = EventCodec.readExecution(last);
                e.end(new ExecutionEntry.Outcome(f.status(), f.result(), f.error()), f.at());
            }
            executions.put(id, e);
            order.add(e);
        }
    }

    // ---- registration -----------------------------------------------------------------------------------------

    @Override
    public <I, O> void register(String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        register(functionName, 1, (Type) inputType, outputType, handler, handler.getClass(), null);
    }

    @Override
    public <I, O> void register(String functionName, TypeToken<I> inputType, TypeToken<O> outputType,
                                DurableHandler<I, O> handler) {
        register(functionName, 1, inputType.type(), outputType.type(), handler, handler.getClass(), null);
    }

    @SuppressWarnings("unchecked")
    private void register(String name, int version, Type in, Type out, DurableHandler<?, ?> handler, Class<?> owner,
                          Class<?> fnClass) {
        Names.checkFunction(name);
        Objects.requireNonNull(in, "inputType must not be null");
        Objects.requireNonNull(out, "outputType must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        if (version < 1) {
            throw new IllegalArgumentException("function '" + name + "' has version " + version
                    + "; versions count from 1");
        }
        RegisteredFunction fn = new RegisteredFunction(name, version, in, out, (DurableHandler<Object, Object>) handler,
                owner.getClassLoader() != null ? owner.getClassLoader() : DurableEngine.class.getClassLoader(), fnClass);
        functions.add(fn);
        if (fnClass != null) {
            functionClasses.put(fnClass, fn);
        }
        for (ExecutionEntry e : snapshot()) {
            if (e.function.equals(name) && e.version == version) {
                if (e.outcome() != null) {
                    completeFuture(e, fn, null, null);
                } else {
                    schedule(e);
                }
            }
        }
    }

    @Override
    public String register(Object durableFunction) {
        Class<?> annotated = durableFunction.getClass();
        while (annotated != null && !annotated.isAnnotationPresent(DurableFunction.class)) {
            annotated = annotated.getSuperclass();
        }
        if (annotated == null) {
            throw new IllegalArgumentException(durableFunction.getClass().getName() + " is not a durable function:"
                    + " annotate its class with @DurableFunction and one method with @Handler, or register a"
                    + " DurableHandler lambda with register(name, inputType, outputType, handler)");
        }
        Method handler = null;
        boolean durableMethods = false;
        for (Method m : annotated.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Handler.class)) {
                if (handler != null) {
                    throw new IllegalArgumentException(annotated.getName() + " has more than one @Handler method ("
                            + handler.getName() + ", " + m.getName() + "); keep exactly one entry point");
                }
                handler = m;
            }
            durableMethods |= m.isAnnotationPresent(Step.class) || m.isAnnotationPresent(Wait.class)
                    || m.isAnnotationPresent(Callback.class);
        }
        if (handler == null) {
            throw new IllegalArgumentException(annotated.getName() + " has no @Handler method; annotate the entry point");
        }
        if (handler.getParameterCount() > 1) {
            throw new IllegalArgumentException(annotated.getName() + "." + handler.getName()
                    + " takes " + handler.getParameterCount() + " parameters; a @Handler takes the input (one) or none");
        }
        if (durableMethods && !(durableFunction instanceof DurableProxy)
                && !"true".equals(System.getProperty("dev.durable.agent.active"))) {
            String fix = annotated.getAnnotation(DurableFunction.class).proxy()
                    ? "Register new " + ProxyRegistration.proxyOf(annotated).map(Class::getSimpleName)
                            .orElse(annotated.getSimpleName() + "_Durable")
                            + "(...) generated by durable-processor, or run the JVM with -javaagent:durable-agent.jar"
                    : "It is made durable by the agent alone (proxy = false): run the JVM with"
                            + " -javaagent:durable-agent.jar";
            throw new IllegalArgumentException(annotated.getName() + " was registered as a plain instance, so its"
                    + " @Step/@Wait/@Callback methods would run without checkpoints. " + fix);
        }
        DurableFunction ann = annotated.getAnnotation(DurableFunction.class);
        String name = ann.value().isEmpty() ? annotated.getSimpleName() : ann.value();
        Method h = handler;
        h.setAccessible(true);
        Type in = h.getParameterCount() == 0 ? Void.class : h.getGenericParameterTypes()[0];
        Type out = h.getGenericReturnType() == void.class ? Void.class : h.getGenericReturnType();
        boolean noInput = h.getParameterCount() == 0;
        DurableHandler<Object, Object> invoke = (input, ctx) -> {
            try {
                return noInput ? h.invoke(durableFunction) : h.invoke(durableFunction, input);
            } catch (InvocationTargetException e) {
                throw ContextImpl.sneaky(e.getCause());
            }
        };
        register(name, ann.version(), in, out, invoke, annotated, annotated);
        return name;
    }

    // ---- executions -------------------------------------------------------------------------------------------

    @Override
    public <O> Execution<O> start(String functionName, String executionName, Object input) {
        Objects.requireNonNull(functionName, "functionName must not be null");
        Names.checkExecution(executionName);
        return new ExecutionHandle<>(startEntry(function(functionName), executionName, input, null, null, null));
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
        RegisteredFunction fn = function(functionName);
        checkSize(inputJson, "the input of execution '" + executionName + "'");
        SerDes reader = serdes instanceof JsonSerDes json ? json.strict() : serdes;
        Object input;
        try {
            input = reader.deserialize(inputJson, fn.inputType());
        } catch (RuntimeException e) {
            throw new SerializationException("the input for function '" + functionName + "' does not convert to "
                    + fn.inputType().getTypeName() + ": " + e.getMessage() + ". Nothing was started.", e);
        }
        return new ExecutionHandle<>(startEntry(fn, executionName, input, null, null, null));
    }

    @Override
    public <O> Execution<O> start(Class<?> functionClass, String executionName, Object input) {
        Objects.requireNonNull(functionClass, "functionClass must not be null");
        Names.checkExecution(executionName);
        Class<?> c = functionClass;
        while (c != null && !functionClasses.containsKey(c)) {
            c = c.getSuperclass();
        }
        if (c == null) {
            throw new UnknownExecutionException("no durable function is registered for class " + functionClass.getName()
                    + "; call runtime.register(instance) first");
        }
        // the version of that very class: an older class still registered starts its own version
        return new ExecutionHandle<>(startEntry(functionClasses.get(c), executionName, input, null, null, null));
    }

    ExecutionEntry startChild(String functionName, String name, Object input, SerDes inputSerdes, ExecutionEntry parent,
                              String parentOp) {
        return startEntry(function(functionName), name, input, inputSerdes, parent.name, parentOp);
    }

    private ExecutionEntry startEntry(RegisteredFunction fn, String executionName, Object input, SerDes inputSerdes,
                                      String parent, String parentOp) {
        if (parent == null) {
            Names.checkExecution(executionName);
        }
        String functionName = fn.name();
        String inputJson = serialize(input, fn.inputType(), inputSerdes != null ? inputSerdes : serdes,
                "the input of execution '" + executionName + "'");
        ExecutionEntry existing = executions.get(executionName);
        if (existing != null) {
            return checkSame(existing, functionName, inputJson);
        }
        // One start per name at a time; starts of different names journal concurrently (group commit).
        Object lock = startLocks.computeIfAbsent(executionName, k -> new Object());
        ExecutionEntry e;
        synchronized (lock) {
            try {
                ensureOpen();
                existing = executions.get(executionName);
                if (existing != null) {
                    return checkSame(existing, functionName, inputJson);
                }
                Instant now = clock.now();
                journal.append(EventCodec.execution(RecordType.EXECUTION_STARTED, executionName,
                        ExecutionEvent.started(functionName, fn.version(), inputJson, now, parent, parentOp)));
                e = new ExecutionEntry(executionName, functionName, fn.version(), inputJson, now, parent, parentOp);
                synchronized (startLock) {
                    executions.put(executionName, e);
                    order.add(e);
                }
            } finally {
                startLocks.remove(executionName, lock);
            }
        }
        schedule(e);
        return e;
    }

    private static ExecutionEntry checkSame(ExecutionEntry existing, String functionName, String inputJson) {
        if (!existing.function.equals(functionName)) {
            throw new ExecutionConflictException("execution '" + existing.name + "' already exists for function '"
                    + existing.function + "', not '" + functionName + "'; choose another execution name");
        }
        if (!sameJson(existing.inputJson, inputJson)) {
            throw new ExecutionConflictException("execution '" + existing.name + "' already exists with a"
                    + " different input (journaled: " + abbreviate(existing.inputJson) + ", now: "
                    + abbreviate(inputJson) + "); start it with the same input to get the existing execution,"
                    + " or choose another name");
        }
        return existing;
    }

    private static boolean sameJson(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        try {
            return EventCodec.MAPPER.readTree(a).equals(EventCodec.MAPPER.readTree(b));
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** The newest registered version of function {@code name}: the one new executions start on. */
    private RegisteredFunction function(String name) {
        RegisteredFunction fn = functions.newest(name);
        if (fn == null) {
            throw new UnknownExecutionException("no durable function named '" + name + "' is registered; registered: "
                    + functions.names());
        }
        return fn;
    }

    /**
     * How many unfinished executions each version of function {@code name} has, oldest version first: a version
     * that is no longer the newest and has none left can be removed from the code.
     */
    @Override
    public java.util.SortedMap<Integer, Integer> unfinishedByVersion(String functionName) {
        String name = Objects.requireNonNull(functionName, "functionName must not be null");
        java.util.SortedMap<Integer, Integer> counts = new java.util.TreeMap<>();
        functions.versions(name).forEach(v -> counts.put(v, 0));
        for (ExecutionEntry e : snapshot()) {
            if (e.function.equals(name) && e.outcome() == null) {
                counts.merge(e.version, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public <O> Execution<O> execution(String executionName) {
        return new ExecutionHandle<>(entry(executionName));
    }

    ExecutionEntry entryOrNull(String executionName) {
        return executions.get(executionName);
    }

    /** Every execution this runtime knows, oldest first. */
    List<ExecutionEntry> entries() {
        return snapshot();
    }

    ExecutionEntry entry(String executionName) {
        Objects.requireNonNull(executionName, "executionName must not be null");
        ExecutionEntry e = executions.get(executionName);
        if (e == null) {
            throw new UnknownExecutionException("no execution named '" + executionName + "' exists in this runtime's"
                    + " journal; list executions to see the names (names are case-sensitive)");
        }
        return e;
    }

    @Override
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        Set<ExecutionStatus> wanted = statuses.length == 0 ? EnumSet.allOf(ExecutionStatus.class)
                : EnumSet.copyOf(Arrays.asList(statuses));
        return snapshot().stream().map(ExecutionEntry::info).filter(i -> wanted.contains(i.status())).toList();
    }

    private List<ExecutionEntry> snapshot() {
        synchronized (startLock) {
            return List.copyOf(order);
        }
    }

    @Override
    public boolean cancel(String executionName) {
        ExecutionEntry e = entry(executionName);
        if (!finish(e, new ExecutionEntry.Outcome(ExecutionStatus.CANCELLED, null, null), null, null)) {
            return false;
        }
        return true;
    }

    @Override
    public List<HistoryEvent> history(String executionName) {
        ExecutionEntry e = entry(executionName);
        return JournalHistory.events(journal.read(e.name));
    }

    /** Everything the journal holds about the execution, with its live status. */
    @Override
    public ExecutionDetails describe(String executionName) {
        ExecutionEntry e = entry(executionName);
        return JournalHistory.details(e.name, History.of(e.name, journal.read(e.name)), e.status);
    }

    /**
     * Runs a failed execution again from its last successful operation: operations that failed are forgotten and
     * run again (with fresh attempts), everything that succeeded is replayed.
     *
     * @throws IllegalStateException if the execution has not failed
     */
    @Override
    public <O> Execution<O> retry(String executionName) {
        ExecutionEntry e = entry(executionName);
        synchronized (e) {
            if (e.status != ExecutionStatus.FAILED) {
                throw new IllegalStateException("execution '" + executionName + "' is " + e.status
                        + "; only a FAILED execution can be retried");
            }
            e.exclusively(() -> {
                journal.append(EventCodec.execution(RecordType.EXECUTION_RETRIED, e.name,
                        ExecutionEvent.finished(ExecutionStatus.RUNNING, clock.now(), null, null)));
                e.reopen();
                return null;
            });
        }
        callbacks.retried(e.name);
        schedule(e);
        return new ExecutionHandle<>(e);
    }

    // ---- running ----------------------------------------------------------------------------------------------

    void schedule(ExecutionEntry e) {
        if (closed || functions.get(e.function, e.version) == null) {
            return;
        }
        synchronized (e) {
            if (e.outcome() != null) {
                return;
            }
            if (e.running) {
                e.rerun = true;
                return;
            }
            e.running = true;
            if (e.timer != null) {
                e.timer.cancel();
                e.timer = null;
            }
        }
        busy.incrementAndGet();
        try {
            runners.execute(() -> runLoop(e));
        } catch (RejectedExecutionException rejected) {
            synchronized (e) {
                e.running = false;
            }
            doneRunning();
        }
    }

    private void runLoop(ExecutionEntry e) {
        try {
            while (true) {
                runOnce(e);
                synchronized (e) {
                    if (e.rerun && e.outcome() == null && !closed) {
                        e.rerun = false;
                        continue;
                    }
                    e.rerun = false;
                    e.running = false;
                    return;
                }
            }
        } finally {
            doneRunning();
        }
    }

    private void runOnce(ExecutionEntry e) {
        RegisteredFunction fn = functions.get(e.function, e.version);
        History history;
        Object input;
        try {
            history = History.of(e.name, journal.read(e.name));
            input = serdes.deserialize(e.inputJson, fn.inputType());
        } catch (RuntimeException ex) {
            finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, ErrorInfo.of(ex)), null, ex);
            return;
        }
        if (history.finished != null) {
            // ended in the journal although its last record is not the end (a cancel overtook a step, say)
            ExecutionEvent f = history.finished;
            if (e.end(new ExecutionEntry.Outcome(f.status(), f.result(), f.error()), f.at())) {
                completeFuture(e, fn, null, null);
            }
            return;
        }
        synchronized (e) {
            if (e.outcome() != null) {
                return; // ended (cancelled, say) since the journal was read: keep its final status
            }
            e.status = ExecutionStatus.RUNNING;
        }
        Invocation inv = new Invocation(this, e, history, fn);
        ContextImpl root = new ContextImpl(inv, "");
        ContextImpl previous = ExecutionThread.enter(root);
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        thread.setContextClassLoader(fn.classLoader());
        try {
            Object out;
            ExecutionThread.takeSuspension(); // a pooled thread starts clean, whatever its last run left
            try {
                out = fn.handler().handle(input, root);
            } catch (SuspendExecution | ExecutionHalted passedThrough) {
                throw passedThrough;
            } catch (Throwable t) {
                String swallowed = ExecutionThread.takeSuspension();
                throw swallowed != null ? ExecutionThread.swallowed(swallowed, t) : t;
            }
            String swallowed = ExecutionThread.takeSuspension();
            if (swallowed != null) {
                throw ExecutionThread.swallowed(swallowed, null);
            }
            String json;
            try {
                json = serialize(out, fn.outputType(), serdes, "the result of execution '" + e.name + "'");
            } catch (DurableException ex) {
                finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, ErrorInfo.of(ex)), null, ex);
                return;
            }
            finish(e, new ExecutionEntry.Outcome(ExecutionStatus.SUCCEEDED, json, null), out, null);
        } catch (SuspendExecution s) {
            ExecutionThread.takeSuspension();
            suspend(e, s.wakeAt);
        } catch (ExecutionHalted h) {
            if (h.getCause() instanceof JournalException j) {
                LOG.error("execution '{}' stopped: {}", e.name, h.getMessage(), j);
                e.future.completeExceptionally(j);
            }
        } catch (Throwable t) {
            finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, ErrorInfo.of(t)), null, t);
        } finally {
            thread.setContextClassLoader(loader);
            ExecutionThread.restore(previous);
        }
    }

    private void suspend(ExecutionEntry e, Instant wakeAt) {
        synchronized (e) {
            if (e.outcome() != null) {
                return;
            }
            e.status = ExecutionStatus.WAITING;
            if (e.timer != null) {
                e.timer.cancel();
                e.timer = null;
            }
            if (wakeAt != null && !closed) {
                e.timer = clock.schedule(wakeAt, () -> schedule(e));
            }
        }
    }

    /** Journals the end of an execution and completes its future; false if it had already ended. */
    private boolean finish(ExecutionEntry e, ExecutionEntry.Outcome outcome, Object liveValue, Throwable liveFailure) {
        Instant now = clock.now();
        synchronized (e) {
            if (e.outcome() != null) {
                return false;
            }
            try {
                e.exclusively(() -> {
                    journal.append(EventCodec.execution(RecordType.EXECUTION_FINISHED, e.name,
                            ExecutionEvent.finished(outcome.status(), now, outcome.result(), outcome.error())));
                    return e.end(outcome, now);
                });
            } catch (JournalException j) {
                LOG.error("execution '{}' could not journal its end: {}", e.name, j.getMessage(), j);
                e.future.completeExceptionally(j);
                if (outcome.status() == ExecutionStatus.CANCELLED) {
                    throw j;
                }
                return false;
            }
        }
        RegisteredFunction fn = functions.get(e.function, e.version);
        completeFuture(e, fn, liveValue, liveFailure);
        noteLastOfOldVersion(e);
        if (e.parent != null) {
            ExecutionEntry parent = executions.get(e.parent);
            if (parent != null) {
                schedule(parent);
            }
        }
        return true;
    }

    /** Says when an execution that ended was the last one on a version older than the newest registered. */
    private void noteLastOfOldVersion(ExecutionEntry e) {
        RegisteredFunction newest = functions.newest(e.function);
        if (newest == null || newest.version() == e.version) {
            return;
        }
        Integer left = unfinishedByVersion(e.function).get(e.version);
        if (left == null || left == 0) {
            LOG.info("function '{}' version {} has no unfinished executions left: its code can be removed (version {}"
                    + " is the newest)", e.function, e.version, newest.version());
        }
    }

    private void completeFuture(ExecutionEntry e, RegisteredFunction fn, Object liveValue, Throwable liveFailure) {
        ExecutionEntry.Outcome o = e.outcome();
        switch (o.status()) {
            case SUCCEEDED -> {
                if (liveValue != null || fn == null) {
                    e.future.complete(liveValue);
                } else {
                    try {
                        e.future.complete(serdes.deserialize(o.result(), fn.outputType()));
                    } catch (RuntimeException ex) {
                        e.future.completeExceptionally(ex);
                    }
                }
            }
            case FAILED -> {
                Throwable cause = liveFailure != null ? liveFailure
                        : o.error().rebuild(fn != null ? fn.classLoader() : DurableEngine.class.getClassLoader());
                e.future.completeExceptionally(new ExecutionFailedException("execution '" + e.name + "' failed: "
                        + o.error().summary(), o.error(), cause));
            }
            default -> e.future.completeExceptionally(new ExecutionCancelledException("execution '" + e.name
                    + "' was cancelled"));
        }
    }

    private void doneRunning() {
        if (busy.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no handler is running or queued: every execution has ended or is waiting. For tests driving a
     * {@link ManualClock}; returns false if that did not happen within {@code timeout}.
     */
    @Override
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (busy.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    // ---- callbacks from outside -------------------------------------------------------------------------------

    @Override
    public void completeCallback(String callbackId, Object payload) {
        ensureOpen();
        callbacks.complete(callbackId, payload);
    }

    @Override
    public void completeCallbackJson(String callbackId, String json) {
        Objects.requireNonNull(json, "json must not be null");
        ensureOpen();
        callbacks.completeJson(callbackId, json);
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message) {
        failCallback(callbackId, errorType, message, null);
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message, String errorData) {
        ensureOpen();
        callbacks.fail(callbackId, errorType, message, errorData);
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        ensureOpen();
        callbacks.heartbeat(callbackId);
    }

    // ---- serialization ----------------------------------------------------------------------------------------

    String serialize(Object value, Type type, SerDes s, String what) {
        String json = s.serialize(value, type);
        checkSize(json, what);
        return json;
    }

    /** Whether {@code json} is within the payload limit. */
    boolean fitsPayloadLimit(String json) {
        return json == null || (long) json.length() * 3 <= payloadLimit
                || json.getBytes(StandardCharsets.UTF_8).length <= payloadLimit;
    }

    void checkSize(String json, String what) {
        if (!fitsPayloadLimit(json)) {
            throw new PayloadTooLargeException(what, json.getBytes(StandardCharsets.UTF_8).length, payloadLimit);
        }
    }

    Logger logger(String function) {
        return loggers.apply("dev.durable.execution." + function);
    }

    // ---- retention and shutdown -------------------------------------------------------------------------------

    /**
     * Removes executions that ended before {@code before} from the journal and from this runtime, with their
     * callbacks. Returns how many were removed.
     */
    @Override
    public int forgetFinished(Instant before) {
        Objects.requireNonNull(before, "before must not be null");
        List<String> gone = new ArrayList<>();
        synchronized (startLock) {
            for (ExecutionEntry e : order) {
                if (e.outcome() != null && e.finishedAt != null && e.finishedAt.isBefore(before)) {
                    gone.add(e.name);
                }
            }
            if (gone.isEmpty()) {
                return 0;
            }
            journal.forget(gone);
            Set<String> set = Set.copyOf(gone);
            order.removeIf(e -> set.contains(e.name));
            set.forEach(executions::remove);
            callbacks.forget(set);
        }
        return gone.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the runtime is closed; open it again to continue");
        }
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
        runners.shutdown();
        try {
            if (!runners.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("handlers still running 30 s after close; they are abandoned and resume on the next open");
                runners.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runners.shutdownNow();
        }
        branchPool.shutdownNow();
        callbacks.close();
        for (ExecutionEntry e : executions.values()) {
            synchronized (e) {
                if (e.timer != null) {
                    e.timer.cancel();
                    e.timer = null;
                }
            }
        }
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
        private int threads = DEFAULT_THREADS;
        private Function<String, Logger> loggers;
        private boolean closeJournal = true;

        private Builder() {}

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
         * time waiting for the journal's force, and more of them share each force (group commit).
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
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
