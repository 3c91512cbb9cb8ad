package dev.durable.core;

import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.slf4j.Logger;

/** The engine behind {@link DurableContext}: numbers operations, replays the journal, journals new outcomes. */
final class ContextImpl implements DurableContext {
    private static final SecureRandom CALLBACK_IDS = new SecureRandom();

    final Invocation inv;
    /** This context's operation id prefix: empty for the root, {@code "3"} for child context 3. */
    final String prefix;
    private int counter;
    private Random random;
    private ReplayAwareLogger logger;
    String currentOperation = "";

    ContextImpl(Invocation inv, String prefix) {
        this.inv = inv;
        this.prefix = prefix;
    }

    // ---- operation ids and the determinism check -------------------------------------------------------------

    private String nextId() {
        counter++;
        return prefix.isEmpty() ? Integer.toString(counter) : prefix + "/" + counter;
    }

    private String peekId() {
        int next = counter + 1;
        return prefix.isEmpty() ? Integer.toString(next) : prefix + "/" + next;
    }

    /** Starts operation {@code id}: checks the run may go on and that the journal agrees on what it is. */
    private OpState begin(String id, OpType type, String name) {
        inv.checkActive();
        currentOperation = id;
        OpState op = inv.history.op(id);
        if (op != null && (op.type != type || !Objects.equals(op.name, name))) {
            throw new NonDeterministicExecutionException(inv.executionName(), id, op.describe(),
                    type + " '" + name + "'", callSite());
        }
        return op;
    }

    /** The user code that made the current operation: the first frame outside the engine and generated proxies. */
    private static String callSite() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(f -> isEngineFrame(f.getClassName()))
                .filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk.")
                        && !f.getClassName().startsWith("dev.durable.agent.") && !f.getClassName().endsWith("_Durable")
                        && !isEngineFrame(f.getClassName()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse(null));
    }

    private static boolean isEngineFrame(String className) {
        for (String engine : ENGINE_CLASSES) {
            if (className.equals(engine) || className.startsWith(engine + "$")) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> ENGINE_CLASSES = List.of(ContextImpl.class.getName(),
            DurableMethods.class.getName(), CallbackHandle.class.getName(), Batch.class.getName(),
            DurableEngine.class.getName());

    private Instant now0() {
        return inv.now();
    }

    private SerDes serdes(SerDes own) {
        return own != null ? own : inv.engine.serdes;
    }

    private String write(Object value, Type type, SerDes serdes, String what) {
        return inv.engine.serialize(value, type, serdes, what);
    }

    private Object read(String json, Type type, SerDes serdes) {
        return serdes.deserialize(json, type);
    }

    private String where(String id, String name) {
        return "operation " + id + " '" + name + "' of execution '" + inv.executionName() + "'";
    }

    // ---- steps ------------------------------------------------------------------------------------------------

    @Override
    public String executionName() {
        return inv.executionName();
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn) {
        return step(name, (Type) type, fn, StepConfig.defaults());
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return step(name, (Type) type, fn, config);
    }

    @Override
    public <T> T step(String name, TypeToken<T> type, StepFunction<T> fn) {
        return step(name, type.type(), fn, StepConfig.defaults());
    }

    @Override
    public <T> T step(String name, TypeToken<T> type, StepFunction<T> fn, StepConfig config) {
        return step(name, type.type(), fn, config);
    }

    @SuppressWarnings("unchecked")
    private <T> T step(String name, Type type, StepFunction<T> fn, StepConfig config) {
        Objects.requireNonNull(fn, "fn");
        StepCall call = beginStep(name, type, config);
        if (call.replayed) {
            return (T) replayed(call, true);
        }
        return (T) runBody(call, () -> fn.apply(call), null, true);
    }

    /** Begins a step: its journaled outcome if any, else a new attempt (journaled first when at-most-once). */
    StepCall beginStep(String name, Type type, StepConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        String id = nextId();
        OpState op = begin(id, OpType.STEP, name);
        SerDes serdes = serdes(config.serdes());
        int attempt = 1;
        if (op != null) {
            switch (op.status) {
                case SUCCEEDED:
                    return new StepCall(this, id, name, type, config, serdes, op.attempt, true,
                            read(op.result, type, serdes), null);
                case FAILED:
                    return new StepCall(this, id, name, type, config, serdes, op.attempt, true, null,
                            op.error.rebuild(inv.classLoader()));
                case RETRY:
                    if (now0().isBefore(op.until)) {
                        throw new SuspendExecution(op.until);
                    }
                    attempt = op.attempt + 1;
                    break;
                case STARTED:
                    if (DurableMethod.atMostOnce(config)) {
                        StepInterruptedException interrupted = new StepInterruptedException("attempt " + op.attempt
                                + " of at-most-once step " + where(id, name) + " started but the process stopped before"
                                + " its outcome was journaled; it is not run again for that attempt");
                        StepCall failed = new StepCall(this, id, name, type, config, serdes, op.attempt, false, null, null);
                        throw sneaky(fail(failed, interrupted));
                    }
                    attempt = op.attempt;
                    break;
                default:
                    throw new IllegalStateException("unexpected state " + op.status + " of " + where(id, name));
            }
        }
        if (DurableMethod.atMostOnce(config)) {
            inv.journal(id, OpEvent.of(OpType.STEP, name, OpStatus.STARTED, now0()).attempt(attempt));
        }
        return new StepCall(this, id, name, type, config, serdes, attempt, false, null, null);
    }

    /** The journaled outcome of a replayed step: its value, or its failure thrown. */
    Object replayed(StepCall call, boolean wrapChecked) {
        if (call.replayedFailure != null) {
            throw sneaky(wrapChecked ? wrapChecked(call, call.replayedFailure) : call.replayedFailure);
        }
        return call.replayedValue;
    }

    interface Body {
        Object run() throws Throwable;
    }

    /** Runs a step body on this thread in step mode, then journals its outcome. */
    Object runBody(StepCall call, Body body, String callbackId, boolean wrapChecked) {
        Object value;
        ExecutionThread.enterStep(callbackId);
        try {
            value = body.run();
        } catch (Throwable t) {
            ExecutionThread.exitStep();
            Throwable thrown = fail(call, t);
            throw sneaky(wrapChecked ? wrapChecked(call, thrown) : thrown);
        }
        ExecutionThread.exitStep();
        return succeed(call, value);
    }

    /** Journals a successful attempt; a result that cannot be stored fails the step for good. */
    Object succeed(StepCall call, Object value) {
        String json;
        try {
            json = write(value, call.type, call.serdes, "the result of step " + where(call.id, call.name));
        } catch (DurableException e) {
            inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.FAILED, now0())
                    .attempt(call.attempt).error(ErrorInfo.of(e)));
            throw e;
        }
        inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.SUCCEEDED, now0())
                .attempt(call.attempt).result(json));
        return value;
    }

    /**
     * Journals a failed attempt. Returns the failure to throw when the step has failed for good; throws the
     * suspension when the retry strategy wants another attempt (the delay is a durable wait).
     */
    Throwable fail(StepCall call, Throwable failure) {
        if (failure instanceof SuspendExecution || failure instanceof ExecutionHalted) {
            throw (Error) failure;
        }
        ErrorInfo info = ErrorInfo.of(failure);
        SplittableRandom jitter = new SplittableRandom(seed(call.id) * 31 + call.attempt);
        RetryDecision decision = call.config.retry().decide(failure, call.attempt, jitter);
        Instant now = now0();
        if (decision != null && decision.retry()) {
            Instant at = now.plus(decision.delay());
            inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.RETRY, now)
                    .attempt(call.attempt).error(info).until(at));
            throw new SuspendExecution(at);
        }
        inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.FAILED, now).attempt(call.attempt).error(info));
        return failure;
    }

    private static Throwable wrapChecked(StepCall call, Throwable t) {
        if (t instanceof RuntimeException || t instanceof Error) {
            return t;
        }
        return new StepFailedException("step '" + call.name + "' failed: " + t, ErrorInfo.of(t), t);
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    // ---- waits ------------------------------------------------------------------------------------------------

    @Override
    public void wait(String name, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("wait '" + name + "': duration must not be negative, was " + duration);
        }
        waitOp(name, null, duration);
    }

    @Override
    public void waitUntil(String name, Instant instant) {
        waitOp(name, Objects.requireNonNull(instant, "instant"), null);
    }

    void waitOp(String name, Instant until, Duration duration) {
        Objects.requireNonNull(name, "name");
        String id = nextId();
        OpState op = begin(id, OpType.WAIT, name);
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return;
        }
        Instant now = now0();
        Instant due;
        if (op == null) {
            due = until != null ? until : now.plus(duration);
            if (Duration.between(now, due).compareTo(Durations.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("wait " + where(id, name) + " ends at " + due
                        + ", more than a year ahead; durable waits last at most " + Durations.MAX_WAIT.toDays() + " days");
            }
            inv.journal(id, OpEvent.of(OpType.WAIT, name, OpStatus.STARTED, now).until(due));
        } else {
            due = op.until;
        }
        if (now.isBefore(due)) {
            throw new SuspendExecution(due);
        }
        inv.journal(id, OpEvent.of(OpType.WAIT, name, OpStatus.SUCCEEDED, now));
    }

    // ---- callbacks --------------------------------------------------------------------------------------------

    @Override
    public <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config) {
        return createCallback(name, (Type) type, config);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, TypeToken<T> type, CallbackConfig config) {
        return createCallback(name, type.type(), config);
    }

    <T> CallbackHandle<T> createCallback(String name, Type type, CallbackConfig config) {
        Objects.requireNonNull(name, "name");
        CallbackConfig cfg = config == null ? CallbackConfig.defaults() : config;
        String id = nextId();
        OpState op = begin(id, OpType.CALLBACK, name);
        SerDes serdes = serdes(cfg.serdes());
        CallbackRef ref;
        if (op == null) {
            Instant now = now0();
            String callbackId = newCallbackId();
            Instant timeoutAt = cfg.timeout() == null ? null : now.plus(cfg.timeout());
            ref = new CallbackRef(callbackId, inv.executionName(), id, name, now, timeoutAt, cfg.heartbeatTimeout(),
                    type.getTypeName());
            ref.type = type;
            ref.serdes = serdes;
            inv.journal(id, OpEvent.of(OpType.CALLBACK, name, OpStatus.STARTED, now).until(timeoutAt)
                    .callback(callbackId, cfg.heartbeatTimeout(), type.getTypeName()));
            inv.engine.callbacks.put(callbackId, ref);
        } else {
            // first met since the runtime opened: index it as the journal left it (an index already built wins)
            ref = inv.engine.callbacks.computeIfAbsent(op.callbackId,
                    k -> CallbackRef.fromJournal(inv.executionName(), op));
            synchronized (ref) {
                ref.type = type;
                ref.serdes = serdes;
            }
        }
        return new CallbackHandle<>(this, ref);
    }

    private static String newCallbackId() {
        byte[] bytes = new byte[16];
        CALLBACK_IDS.nextBytes(bytes);
        // hex: safe in URLs, shells and command lines (never starts with '-')
        return HexFormat.of().formatHex(bytes);
    }

    /** Waits for {@code ref}: its payload, its failure, a timeout, or a suspension until one of them. */
    Object awaitCallback(CallbackRef ref) {
        inv.checkActive();
        Instant now = now0();
        synchronized (ref) {
            switch (ref.status) {
                case SUCCEEDED:
                    return read(ref.result, ref.type, ref.serdes);
                case FAILED:
                    throw ref.failure();
                default:
                    break;
            }
            Instant deadline = ref.deadline();
            if (deadline != null && !now.isBefore(deadline)) {
                String why = ref.timeoutAt != null && !now.isBefore(ref.timeoutAt)
                        ? "was not completed within its timeout (due " + ref.timeoutAt + ")"
                        : "received no heartbeat within " + ref.heartbeatTimeout;
                CallbackTimeoutException e = new CallbackTimeoutException("callback " + ref.id + " ("
                        + where(ref.operationId, ref.name) + ") " + why);
                ErrorInfo info = ErrorInfo.of(e);
                inv.journal(ref.operationId, OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.FAILED, now).error(info));
                ref.status = OpStatus.FAILED;
                ref.error = info;
                ref.completedAt = now;
                throw e;
            }
            throw new SuspendExecution(deadline);
        }
    }

    @Override
    public <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return waitForCallback(name, (Type) type, submitter, config);
    }

    @Override
    public <T> T waitForCallback(String name, TypeToken<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return waitForCallback(name, type.type(), submitter, config);
    }

    @SuppressWarnings("unchecked")
    private <T> T waitForCallback(String name, Type type, CallbackSubmitter submitter, CallbackConfig config) {
        Objects.requireNonNull(submitter, "submitter");
        CallbackHandle<T> cb = createCallback(name, type, config);
        StepCall call = beginStep(name + ".submit", Void.class, StepConfig.defaults());
        if (call.replayed) {
            replayed(call, true);
        } else {
            runBody(call, () -> {
                submitter.submit(cb.id(), call);
                return null;
            }, cb.id(), true);
        }
        return (T) awaitCallback(cb.ref);
    }

    // ---- polling ----------------------------------------------------------------------------------------------

    @Override
    public <T> T waitForCondition(String name, Class<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        return waitForCondition(name, (Type) type, check, config);
    }

    @Override
    public <T> T waitForCondition(String name, TypeToken<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        return waitForCondition(name, type.type(), check, config);
    }

    @SuppressWarnings("unchecked")
    private <T> T waitForCondition(String name, Type type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(config, "config");
        String id = nextId();
        OpState op = begin(id, OpType.WAIT_FOR_CONDITION, name);
        SerDes serdes = inv.engine.serdes;
        T state;
        int attempt;
        if (op == null) {
            state = config.initialState();
            attempt = 0;
        } else if (op.status == OpStatus.SUCCEEDED) {
            return (T) read(op.result, type, serdes);
        } else if (op.status == OpStatus.FAILED) {
            throw sneaky(op.error.rebuild(inv.classLoader()));
        } else {
            if (now0().isBefore(op.until)) {
                throw new SuspendExecution(op.until);
            }
            state = (T) read(op.result, type, serdes);
            attempt = op.attempt;
        }
        int poll = attempt + 1;
        StepCall call = new StepCall(this, id, name, type, StepConfig.defaults(), serdes, poll, false, null, null);
        T next;
        ExecutionThread.enterStep(null);
        try {
            next = check.check(state, call);
        } catch (Throwable t) {
            ExecutionThread.exitStep();
            inv.journal(id, OpEvent.of(OpType.WAIT_FOR_CONDITION, name, OpStatus.FAILED, now0())
                    .attempt(poll).error(ErrorInfo.of(t)));
            throw sneaky(wrapChecked(call, t));
        }
        ExecutionThread.exitStep();
        WaitDecision decision = config.waitStrategy().decide(next, poll);
        Instant now = now0();
        String json = write(next, type, serdes, "the state of waitForCondition " + where(id, name));
        if (decision.done()) {
            inv.journal(id, OpEvent.of(OpType.WAIT_FOR_CONDITION, name, OpStatus.SUCCEEDED, now).attempt(poll).result(json));
            return next;
        }
        if (decision.failure() != null) {
            WaitForConditionFailedException e = new WaitForConditionFailedException("waitForCondition "
                    + where(id, name) + " gave up: " + decision.failure());
            inv.journal(id, OpEvent.of(OpType.WAIT_FOR_CONDITION, name, OpStatus.FAILED, now)
                    .attempt(poll).result(json).error(ErrorInfo.of(e)));
            throw e;
        }
        Instant at = now.plus(decision.delay());
        inv.journal(id, OpEvent.of(OpType.WAIT_FOR_CONDITION, name, OpStatus.RETRY, now).attempt(poll).result(json).until(at));
        throw new SuspendExecution(at);
    }

    // ---- child contexts, parallel, map ------------------------------------------------------------------------

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn) {
        return runInChildContext(name, (Type) type, fn);
    }

    @Override
    public <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn) {
        return runInChildContext(name, type.type(), fn);
    }

    @SuppressWarnings("unchecked")
    private <T> T runInChildContext(String name, Type type, ContextFunction<T> fn) {
        Objects.requireNonNull(fn, "fn");
        String id = nextId();
        OpState op = begin(id, OpType.CONTEXT, name);
        SerDes serdes = inv.engine.serdes;
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return (T) read(op.result, type, serdes);
        }
        if (op != null && op.status == OpStatus.FAILED) {
            throw sneaky(op.error.rebuild(inv.classLoader()));
        }
        ContextImpl child = new ContextImpl(inv, id);
        T value;
        ContextImpl previous = ExecutionThread.enter(child);
        try {
            value = fn.apply(child);
        } catch (SuspendExecution | ExecutionHalted e) {
            throw e;
        } catch (Throwable t) {
            inv.journal(id, OpEvent.of(OpType.CONTEXT, name, OpStatus.FAILED, now0()).error(ErrorInfo.of(t)));
            throw sneaky(t);
        } finally {
            ExecutionThread.enter(previous);
        }
        String json = write(value, type, serdes, "the result of child context " + where(id, name));
        inv.journal(id, OpEvent.of(OpType.CONTEXT, name, OpStatus.SUCCEEDED, now0()).result(json));
        return value;
    }

    @Override
    public <T> BatchResult<T> parallel(String name, Class<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return batch(name, OpType.PARALLEL, type, branches, config);
    }

    @Override
    public <T> BatchResult<T> parallel(String name, TypeToken<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return batch(name, OpType.PARALLEL, type.type(), branches, config);
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return map(name, items, (Type) type, fn, config);
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, TypeToken<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return map(name, items, type.type(), fn, config);
    }

    private <I, O> BatchResult<O> map(String name, List<I> items, Type type, MapFunction<I, O> fn, ParallelConfig config) {
        Objects.requireNonNull(fn, "fn");
        List<ContextFunction<O>> branches = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            I item = items.get(i);
            int index = i;
            branches.add(ctx -> fn.apply(item, index, ctx));
        }
        return batch(name, OpType.MAP, type, branches, config);
    }

    private <T> BatchResult<T> batch(String name, OpType type, Type itemType, List<ContextFunction<T>> branches,
                                     ParallelConfig config) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(branches, "branches");
        ParallelConfig cfg = config == null ? ParallelConfig.defaults() : config;
        String id = nextId();
        OpState op = begin(id, type, name);
        SerDes serdes = inv.engine.serdes;
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return Batch.decode(op.result, itemType, serdes);
        }
        BatchResult<T> result = new Batch<>(this, id, itemType, serdes, branches, cfg).run();
        String json = Batch.encode(result, itemType, serdes, inv.engine, "the result of " + where(id, name));
        inv.journal(id, OpEvent.of(type, name, OpStatus.SUCCEEDED, now0()).result(json));
        return result;
    }

    /** A branch of a batch: a child context run on its own thread, its outcome journaled as a BRANCH operation. */
    ContextImpl branchContext(String branchId) {
        return new ContextImpl(inv, branchId);
    }

    // ---- invoke -----------------------------------------------------------------------------------------------

    @Override
    public <T> T invoke(String name, String functionName, Object input, Class<T> type) {
        return invoke(name, functionName, input, (Type) type);
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, TypeToken<T> type) {
        return invoke(name, functionName, input, type.type());
    }

    @SuppressWarnings("unchecked")
    private <T> T invoke(String name, String functionName, Object input, Type type) {
        Objects.requireNonNull(functionName, "functionName");
        String id = nextId();
        OpState op = begin(id, OpType.INVOKE, name);
        SerDes serdes = inv.engine.serdes;
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return (T) read(op.result, type, serdes);
        }
        if (op != null && op.status == OpStatus.FAILED) {
            throw new InvokeFailedException("invoked function '" + functionName + "' (" + where(id, name) + ") failed: "
                    + op.error.summary(), op.error);
        }
        String child = inv.executionName() + "/" + id;
        if (op == null) {
            inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.STARTED, now0()).child(child));
        }
        ExecutionEntry childEntry = inv.engine.startChild(functionName, child, input, inv.entry, id);
        ExecutionEntry.Outcome outcome = childEntry.outcome();
        if (outcome == null) {
            throw new SuspendExecution(null);
        }
        if (outcome.status() == ExecutionStatus.SUCCEEDED) {
            inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.SUCCEEDED, now0()).child(child).result(outcome.result()));
            return (T) read(outcome.result(), type, serdes);
        }
        ErrorInfo error = outcome.error() != null ? outcome.error()
                : ErrorInfo.of(ExecutionCancelledException.class.getName(), "execution '" + child + "' was cancelled");
        inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.FAILED, now0()).child(child).error(error));
        throw new InvokeFailedException("invoked function '" + functionName + "' (" + where(id, name) + ") "
                + (outcome.status() == ExecutionStatus.CANCELLED ? "was cancelled" : "failed: " + error.summary()), error);
    }

    // ---- determinism helpers ----------------------------------------------------------------------------------

    @Override
    public Instant now() {
        String id = nextId();
        OpState op = begin(id, OpType.NOW, "now");
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return Instant.parse(op.result);
        }
        Instant now = now0();
        inv.journal(id, OpEvent.of(OpType.NOW, "now", OpStatus.SUCCEEDED, now).result(now.toString()));
        return now;
    }

    @Override
    public Random random() {
        if (random == null) {
            random = new Random(seed(prefix));
        }
        return random;
    }

    private long seed(String salt) {
        long h = 1125899906842597L;
        String s = inv.executionName() + "#" + salt;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    @Override
    public UUID uuid() {
        Random r = random();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    @Override
    public boolean isReplaying() {
        OpState op = inv.history.op(peekId());
        return op != null;
    }

    @Override
    public Logger logger() {
        if (logger == null) {
            logger = new ReplayAwareLogger(inv.engine.logger(inv.function.name()), this);
        }
        return logger;
    }

    Logger stepLogger(String opId) {
        return new ReplayAwareLogger(inv.engine.logger(inv.function.name()), this, opId);
    }

    // ---- annotated methods ------------------------------------------------------------------------------------

    /** A call of an annotated method, as generated proxies and the agent make it. */
    DurableMethods.MethodCall enterMethod(DurableMethod method, Object[] args) {
        return switch (method.kind()) {
            case STEP -> stepCall(beginStep(method.name(), boxed(method.returnType()), method.stepConfig()), null, null);
            case WAIT -> {
                waitOp(method.name(), method.waitUntil(args, now0()), null);
                yield stepCall(beginStep(method.name(), boxed(method.returnType()), method.stepConfig()), null, null);
            }
            case CALLBACK -> {
                CallbackHandle<?> cb = createCallback(method.name(), boxed(method.returnType()), method.callbackConfig());
                StepCall submit = beginStep(method.name() + ".submit", Void.class, method.stepConfig());
                yield stepCall(submit, cb.ref, cb.id());
            }
        };
    }

    private static Type boxed(Type t) {
        if (t instanceof Class<?> c && c.isPrimitive()) {
            if (c == void.class) {
                return Void.class;
            }
            return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
        }
        return t;
    }

    private DurableMethods.MethodCall stepCall(StepCall call, CallbackRef callback, String callbackId) {
        if (!call.replayed) {
            ExecutionThread.enterStep(callbackId);
        }
        return new DurableMethods.MethodCall() {
            @Override
            public boolean skipBody() {
                return call.replayed;
            }

            @Override
            public Object replayed() {
                Object value = ContextImpl.this.replayed(call, false);
                return callback == null ? value : awaitCallback(callback);
            }

            @Override
            public Object exit(Object returned, Throwable thrown) {
                ExecutionThread.exitStep();
                if (thrown != null) {
                    throw sneaky(fail(call, thrown));
                }
                if (callback == null) {
                    return succeed(call, returned);
                }
                succeed(call, null);
                return awaitCallback(callback);
            }
        };
    }
}
