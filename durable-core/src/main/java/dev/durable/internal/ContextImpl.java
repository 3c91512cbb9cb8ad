package dev.durable.internal;

import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.CallbackSubmitter;
import dev.durable.ChildContextConfig;
import dev.durable.ConditionCheck;
import dev.durable.ContextFunction;
import dev.durable.DurableCallback;
import dev.durable.DurableContext;
import dev.durable.DurableException;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionCancelledException;
import dev.durable.ExecutionStatus;
import dev.durable.InvokeConfig;
import dev.durable.InvokeFailedException;
import dev.durable.JournalException;
import dev.durable.MapFunction;
import dev.durable.Names;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.ParallelConfig;
import dev.durable.RetryDecision;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.StepConfig;
import dev.durable.StepFailedException;
import dev.durable.StepFunction;
import dev.durable.StepInterruptedException;
import dev.durable.TypeToken;
import dev.durable.WaitDecision;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitForConditionFailedException;


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
final class ContextImpl implements DurableContext, DurableMethods.Interceptor {
    private static final SecureRandom CALLBACK_IDS = new SecureRandom();

    final Invocation inv;
    /** This context's operation id prefix: empty for the root, {@code "3"} for child context 3. */
    final String prefix;
    /** How deeply this context is nested in child contexts and branches: 0 for the root. */
    final int depth;
    private int counter;
    private Random random;
    private ReplayAwareLogger logger;
    String currentOperation = "";

    /** The deepest nesting of child contexts and branches accepted; deeper code fails with a clear message. */
    static final int MAX_DEPTH = 100;

    ContextImpl(Invocation inv, String prefix) {
        this(inv, prefix, 0);
    }

    ContextImpl(Invocation inv, String prefix, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("operation " + prefix + " of execution '" + inv.executionName()
                    + "' nests child contexts and branches " + depth + " deep; at most " + MAX_DEPTH
                    + " levels are supported. Flatten the recursion (a loop of steps, or map over the items)");
        }
        this.inv = inv;
        this.prefix = prefix;
        this.depth = depth;
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

    /**
     * The value a handler sees for a result just journaled as {@code json}: read back from it, exactly as a replay
     * reads it, so the first run and every replay see one value. A value that does not read back fails here.
     */
    Object checkpointed(Object value, String json, Type type, SerDes serdes, String what) {
        try {
            return serdes.deserialize(json, type);
        } catch (RuntimeException e) {
            throw new SerializationException(what + " (a " + (value == null ? "null" : value.getClass().getName())
                    + ") does not round-trip through its serializer: it was written as "
                    + (json.length() > 120 ? json.substring(0, 117) + "..." : json) + " but reading that back as "
                    + type.getTypeName() + " fails: " + e.getMessage() + ". Return a value the serializer can write and"
                    + " read back (a record or bean of plain data), or give the operation a SerDes that can.", e);
        }
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
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        StepCall call = beginStep(name, type, config);
        if (call.replayed) {
            return (T) replayed(call, true);
        }
        return (T) runBody(call, () -> fn.apply(call), null, true);
    }

    /** Begins a step: its journaled outcome if any, else a new attempt (journaled first when at-most-once). */
    StepCall beginStep(String name, Type type, StepConfig config) {
        Objects.requireNonNull(config, "config must not be null");
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
        Object checkpointed;
        try {
            String what = "the result of step " + where(call.id, call.name);
            json = write(value, call.type, call.serdes, what);
            checkpointed = checkpointed(value, json, call.type, call.serdes, what);
        } catch (DurableException e) {
            inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.FAILED, now0())
                    .attempt(call.attempt).error(ErrorInfo.of(e)));
            throw e;
        }
        inv.journal(call.id, OpEvent.of(OpType.STEP, call.name, OpStatus.SUCCEEDED, now0())
                .attempt(call.attempt).result(json));
        return checkpointed;
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
        Objects.requireNonNull(duration, "duration must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("wait '" + name + "': the duration must be positive, was " + duration);
        }
        waitOp(name, null, duration);
    }

    @Override
    public void waitUntil(String name, Instant instant) {
        waitOp(name, Objects.requireNonNull(instant, "instant must not be null"), null);
    }

    void waitOp(String name, Instant until, Duration duration) {
        Names.checkOperation(name);
        String id = nextId();
        OpState op = begin(id, OpType.WAIT, name);
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return;
        }
        Instant now = now0();
        Instant due;
        if (op == null) {
            due = until != null ? until : now.plus(duration);
            if (Duration.between(now, due).compareTo(DurableContext.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("wait " + where(id, name) + " ends at " + due
                        + ", more than a year ahead; durable waits last at most " + DurableContext.MAX_WAIT.toDays() + " days");
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
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        CallbackConfig cfg = config == null ? CallbackConfig.defaults() : config;
        String id = nextId();
        OpState op = begin(id, OpType.CALLBACK, name);
        SerDes serdes = cfg.serdes();
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
            inv.engine.callbacks.created(ref);
        } else {
            // first met since the runtime opened: index it as the journal left it (an index already built wins)
            ref = inv.engine.callbacks.replayed(inv.executionName(), op);
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

    /**
     * Waits for {@code ref}: its payload, its failure, its timeout, or a suspension until one of them. A payload that
     * does not convert to the awaited type fails the callback catchably (an operator retry lets it be completed again).
     */
    Object awaitCallback(CallbackRef ref) {
        inv.checkActive();
        try {
            inv.engine.callbacks.expireIfDue(ref, inv.entry, now0());
        } catch (JournalException e) {
            throw new ExecutionHalted("the journal could not acknowledge the timeout of " + ref.where(), e);
        }
        SerDes serdes = inv.engine.callbacks.payloadSerdes(ref);
        synchronized (ref) {
            switch (ref.status) {
                case SUCCEEDED:
                    try {
                        return read(ref.result, ref.type, serdes);
                    } catch (RuntimeException e) {
                        throw unreadablePayload(ref, e);
                    }
                case FAILED:
                    throw ref.failure();
                default:
                    throw new SuspendExecution(ref.deadline());
            }
        }
    }

    private RuntimeException unreadablePayload(CallbackRef ref, RuntimeException e) {
        ErrorInfo info = ErrorInfo.of(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE, "the payload of " + ref.where()
                + " does not convert to " + ref.type.getTypeName() + ": " + e.getMessage());
        inv.journal(ref.operationId, OpEvent.of(OpType.CALLBACK, ref.name, OpStatus.FAILED, now0())
                .result(ref.result).error(info));
        ref.status = OpStatus.FAILED;
        ref.error = info;
        ref.completedAt = now0();
        return new CallbackFailedException(info.message() + ". The payload is kept as the error data; after fixing"
                + " the code or the sender, retry the execution and complete the callback again", info, ref.result);
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
        Objects.requireNonNull(submitter, "submitter must not be null");
        CallbackConfig cfg = config == null ? CallbackConfig.defaults() : config;
        CallbackHandle<T> cb = createCallback(name, type, cfg);
        StepCall call = beginStep(submitName(name), Void.class, StepConfig.builder().retry(cfg.submitterRetry()).build());
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

    private static String submitName(String name) {
        return name == null ? null : name + ".submit";
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
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(check, "check must not be null");
        Objects.requireNonNull(config, "config must not be null");
        String id = nextId();
        OpState op = begin(id, OpType.WAIT_FOR_CONDITION, name);
        SerDes serdes = serdes(config.serdes());
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
        String what = "the state of waitForCondition " + where(id, name);
        String json = write(next, type, serdes, what);
        Object checkpointed = checkpointed(next, json, type, serdes, what);
        if (decision.done()) {
            inv.journal(id, OpEvent.of(OpType.WAIT_FOR_CONDITION, name, OpStatus.SUCCEEDED, now).attempt(poll).result(json));
            return (T) checkpointed;
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
        return runInChildContext(name, (Type) type, fn, ChildContextConfig.defaults());
    }

    @Override
    public <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn) {
        return runInChildContext(name, type.type(), fn, ChildContextConfig.defaults());
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn, ChildContextConfig config) {
        return runInChildContext(name, (Type) type, fn, config);
    }

    @Override
    public <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn, ChildContextConfig config) {
        return runInChildContext(name, type.type(), fn, config);
    }

    @SuppressWarnings("unchecked")
    private <T> T runInChildContext(String name, Type type, ContextFunction<T> fn, ChildContextConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        SerDes serdes = serdes(config == null ? null : config.serdes());
        String id = nextId();
        OpState op = begin(id, OpType.CONTEXT, name);
        if (op != null && op.status == OpStatus.SUCCEEDED && !op.replayChildren) {
            return (T) read(op.result, type, serdes);
        }
        if (op != null && op.status == OpStatus.FAILED) {
            throw sneaky(op.error.rebuild(inv.classLoader()));
        }
        ContextImpl child = new ContextImpl(inv, id, depth + 1);
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
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return value; // rebuilt by replaying the children of a result too large to journal
        }
        String what = "the result of child context " + where(id, name);
        String json = serdes.serialize(value, type);
        Object checkpointed = checkpointed(value, json, type, serdes, what);
        OpEvent done = OpEvent.of(OpType.CONTEXT, name, OpStatus.SUCCEEDED, now0());
        inv.journal(id, fits(json) ? done.result(json) : done.rebuiltOnReplay());
        return (T) checkpointed;
    }

    /** Whether a composite result fits the payload limit; one that does not is rebuilt on replay from its children. */
    private boolean fits(String json) {
        return inv.engine.fitsPayloadLimit(json);
    }

    @Override
    public <T> BatchResult<T> parallel(String name, Class<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return batch(name, OpType.PARALLEL, type, branches, null, config);
    }

    @Override
    public <T> BatchResult<T> parallel(String name, TypeToken<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return batch(name, OpType.PARALLEL, type.type(), branches, null, config);
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, Class<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return map(name, items, (Type) type, fn, config);
    }

    @Override
    public <I, O> BatchResult<O> map(String name, List<I> items, TypeToken<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return map(name, items, type.type(), fn, config);
    }

    @SuppressWarnings("unchecked")
    private <I, O> BatchResult<O> map(String name, List<I> items, Type type, MapFunction<I, O> fn, ParallelConfig config) {
        Objects.requireNonNull(items, "items must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        ParallelConfig.ItemNamer<I> namer = config == null ? null : (ParallelConfig.ItemNamer<I>) config.itemNamer();
        List<ContextFunction<O>> branches = new ArrayList<>(items.size());
        List<String> names = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            I item = items.get(i);
            int index = i;
            branches.add(ctx -> fn.apply(item, index, ctx));
            names.add(namer == null ? Batch.defaultName(i) : Names.checkOperation(namer.name(item, i)));
        }
        return batch(name, OpType.MAP, type, branches, names, config);
    }

    private <T> BatchResult<T> batch(String name, OpType type, Type itemType, List<ContextFunction<T>> branches,
                                     List<String> names, ParallelConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(itemType, "type must not be null");
        Objects.requireNonNull(branches, "branches must not be null");
        ParallelConfig cfg = config == null ? ParallelConfig.defaults() : config;
        Integer min = cfg.completion().minSuccessful();
        if (min != null && min > branches.size()) {
            throw new IllegalArgumentException(type.name().toLowerCase() + " '" + name + "': minSuccessful is " + min
                    + " but there are only " + branches.size() + (type == OpType.MAP ? " items" : " branches")
                    + "; it could never complete by reaching minSuccessful");
        }
        List<String> branchNames = names != null ? names : Batch.branchNames(branches);
        SerDes itemSerdes = serdes(cfg.itemSerDes());
        SerDes resultSerdes = cfg.resultSerDes() != null ? cfg.resultSerDes() : itemSerdes;
        String id = nextId();
        OpState op = begin(id, type, name);
        if (op != null && op.status == OpStatus.SUCCEEDED && !op.replayChildren) {
            return Batch.decode(op.result, itemType, resultSerdes);
        }
        BatchResult<T> result = new Batch<>(this, id, itemType, itemSerdes, branches, branchNames, cfg).run();
        if (op != null && op.status == OpStatus.SUCCEEDED) {
            return result; // rebuilt by replaying the branches of a result too large to journal
        }
        String json = Batch.encode(result, itemType, resultSerdes);
        BatchResult<T> checkpointed = Batch.decode(json, itemType, resultSerdes);
        OpEvent done = OpEvent.of(type, name, OpStatus.SUCCEEDED, now0());
        inv.journal(id, fits(json) ? done.result(json) : done.rebuiltOnReplay());
        return checkpointed;
    }

    /** A branch of a batch: a child context run on its own thread, its outcome journaled as a BRANCH operation. */
    ContextImpl branchContext(String branchId) {
        return new ContextImpl(inv, branchId, depth + 1);
    }

    // ---- invoke -----------------------------------------------------------------------------------------------

    @Override
    public <T> T invoke(String name, String functionName, Object input, Class<T> type) {
        return invoke(name, functionName, input, (Type) type, InvokeConfig.defaults());
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, TypeToken<T> type) {
        return invoke(name, functionName, input, type.type(), InvokeConfig.defaults());
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, Class<T> type, InvokeConfig config) {
        return invoke(name, functionName, input, (Type) type, config);
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, TypeToken<T> type, InvokeConfig config) {
        return invoke(name, functionName, input, type.type(), config);
    }

    @SuppressWarnings("unchecked")
    private <T> T invoke(String name, String functionName, Object input, Type type, InvokeConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(functionName, "functionName must not be null");
        InvokeConfig cfg = config == null ? InvokeConfig.defaults() : config;
        SerDes serdes = serdes(cfg.resultSerDes());
        String id = nextId();
        OpState op = begin(id, OpType.INVOKE, name);
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
        ExecutionEntry childEntry = inv.engine.startChild(functionName, child, input, cfg.payloadSerDes(), inv.entry, id);
        ExecutionEntry.Outcome outcome = childEntry.outcome();
        if (outcome == null) {
            throw new SuspendExecution(null);
        }
        if (outcome.status() == ExecutionStatus.SUCCEEDED) {
            T value;
            try {
                value = (T) read(outcome.result(), type, serdes);
            } catch (RuntimeException e) {
                ErrorInfo error = ErrorInfo.of(e);
                inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.FAILED, now0()).child(child).error(error));
                throw new InvokeFailedException("the result of invoked function '" + functionName + "' ("
                        + where(id, name) + ") does not convert to " + type.getTypeName() + ": " + e.getMessage(), error);
            }
            inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.SUCCEEDED, now0()).child(child).result(outcome.result()));
            return value;
        }
        ErrorInfo error = outcome.error() != null ? outcome.error()
                : ErrorInfo.of(ExecutionCancelledException.class.getName(), "execution '" + child + "' was cancelled");
        inv.journal(id, OpEvent.of(OpType.INVOKE, name, OpStatus.FAILED, now0()).child(child).error(error));
        throw new InvokeFailedException("invoked function '" + functionName + "' (" + where(id, name) + ") "
                + (outcome.status() == ExecutionStatus.CANCELLED ? "was cancelled" : "failed: " + error.summary()), error);
    }

    // ---- patches ----------------------------------------------------------------------------------------------

    /** The marker of patch {@code patchId} in this context: its own id, so patches never shift operation ids. */
    private String patchMarker(String patchId) {
        return (prefix.isEmpty() ? "" : prefix + "/") + "patch:" + patchId;
    }

    @Override
    public boolean patched(String patchId) {
        Names.checkOperation(Objects.requireNonNull(patchId, "patchId must not be null"));
        inv.checkActive();
        String id = patchMarker(patchId);
        OpState op = inv.history.op(id);
        if (op != null) {
            return Boolean.parseBoolean(op.result);
        }
        Boolean decided = inv.patches.get(id);
        if (decided != null) {
            return decided;
        }
        // Replaying journaled operations past this point: the code that wrote them had no patch here (it would have
        // left a marker), so this execution keeps the old path. Running live: the new path.
        boolean patched = inv.history.op(peekId()) == null;
        inv.journal(id, OpEvent.of(OpType.PATCH, patchId, OpStatus.SUCCEEDED, now0()).result(Boolean.toString(patched)));
        inv.patches.put(id, patched);
        return patched;
    }

    @Override
    public void deprecatePatch(String patchId) {
        Names.checkOperation(Objects.requireNonNull(patchId, "patchId must not be null"));
        inv.checkActive();
        OpState op = inv.history.op(patchMarker(patchId));
        if (op != null && !Boolean.parseBoolean(op.result)) {
            throw new NonDeterministicExecutionException(inv.executionName(), op.id, "PATCH '" + patchId
                    + "' decided for the old path", "the patch deprecated (only the new path remains)", callSite());
        }
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
    @Override
    public DurableMethods.MethodCall enterMethod(DurableMethod method, Object[] args) {
        Names.checkOperation(method.name());
        return switch (method.kind()) {
            case STEP -> stepCall(beginStep(method.name(), boxed(method.returnType()), method.stepConfig()), null, null);
            case WAIT -> {
                waitOp(method.name(), method.waitUntil(args, now0()), null);
                yield stepCall(beginStep(method.name(), boxed(method.returnType()), method.stepConfig()), null, null);
            }
            case CALLBACK -> {
                CallbackHandle<?> cb = createCallback(method.name(), boxed(method.returnType()), method.callbackConfig());
                StepCall submit = beginStep(submitName(method.name()), Void.class, method.stepConfig());
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
