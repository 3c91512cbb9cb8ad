package dev.durable.internal;

import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.CallbackSubmitter;
import dev.durable.ChildContextConfig;
import dev.durable.ConditionCheck;
import dev.durable.ContextFunction;
import dev.durable.DurableCallback;
import dev.durable.DurableContext;
import dev.durable.InvokeConfig;
import dev.durable.MapFunction;
import dev.durable.ParallelConfig;
import dev.durable.StepConfig;
import dev.durable.StepFunction;
import dev.durable.TypeToken;
import dev.durable.WaitForConditionConfig;
import dev.durable.spi.weaving.DurableMethod;
import dev.durable.spi.weaving.DurableMethods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The engine behind {@link DurableContext}: one per context (the root, each child context and branch). Each
 * operation kind is a class of its own ({@link StepOp}, {@link WaitOp}, {@link CallbackOp}, {@link ConditionOp},
 * {@link ChildContextOp}, {@link BatchOp}, {@link InvokeOp}, {@link NowOp}, {@link PatchOp}, {@link MethodCallOp});
 * they number their operations and find them in the journal through this context's {@link ReplayCursor}.
 */
final class ContextImpl implements DurableContext, DurableMethods.Interceptor {
    /** The deepest nesting of child contexts and branches accepted; deeper code fails with a clear message. */
    static final int MAX_DEPTH = 100;

    final Invocation inv;
    final ReplayCursor cursor;
    /** How deeply this context is nested in child contexts and branches: 0 for the root. */
    final int depth;

    private Random random;
    private ReplayAwareLogger logger;

    ContextImpl(Invocation inv, String prefix) {
        this(inv, prefix, 0);
    }

    private ContextImpl(Invocation inv, String prefix, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("operation " + prefix + " of execution '" + inv.executionName()
                    + "' nests child contexts and branches " + depth + " deep; at most " + MAX_DEPTH
                    + " levels are supported. Flatten the recursion (a loop of steps, or map over the items)");
        }
        this.inv = inv;
        this.cursor = new ReplayCursor(inv, prefix);
        this.depth = depth;
    }

    /** The context of child context or branch {@code id} of this one. */
    ContextImpl child(String id) {
        return new ContextImpl(inv, id, depth + 1);
    }

    PayloadCodec codec() {
        return inv.parts.codec();
    }

    /** The operation begun last in this context, for logs and messages. */
    String currentOperation() {
        return cursor.current();
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public String executionName() {
        return inv.executionName();
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn) {
        return StepOp.step(this, name, type, fn, StepConfig.defaults());
    }

    @Override
    public <T> T step(String name, Class<T> type, StepFunction<T> fn, StepConfig config) {
        return StepOp.step(this, name, type, fn, config);
    }

    @Override
    public <T> T step(String name, TypeToken<T> type, StepFunction<T> fn) {
        return StepOp.step(this, name, type.type(), fn, StepConfig.defaults());
    }

    @Override
    public <T> T step(String name, TypeToken<T> type, StepFunction<T> fn, StepConfig config) {
        return StepOp.step(this, name, type.type(), fn, config);
    }

    @Override
    public void wait(String name, Duration duration) {
        Objects.requireNonNull(duration, "duration must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("wait '" + name + "': the duration must be positive, was " + duration);
        }
        WaitOp.run(this, name, null, duration);
    }

    @Override
    public void waitUntil(String name, Instant instant) {
        WaitOp.run(this, name, Objects.requireNonNull(instant, "instant must not be null"), null);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, Class<T> type, CallbackConfig config) {
        return CallbackOp.create(this, name, type, config);
    }

    @Override
    public <T> DurableCallback<T> createCallback(String name, TypeToken<T> type, CallbackConfig config) {
        return CallbackOp.create(this, name, type.type(), config);
    }

    @Override
    public <T> T waitForCallback(String name, Class<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return CallbackOp.waitFor(this, name, type, submitter, config);
    }

    @Override
    public <T> T waitForCallback(String name, TypeToken<T> type, CallbackSubmitter submitter, CallbackConfig config) {
        return CallbackOp.waitFor(this, name, type.type(), submitter, config);
    }

    @Override
    public <T> T waitForCondition(
            String name, Class<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        return ConditionOp.run(this, name, type, check, config);
    }

    @Override
    public <T> T waitForCondition(
            String name, TypeToken<T> type, ConditionCheck<T> check, WaitForConditionConfig<T> config) {
        return ConditionOp.run(this, name, type.type(), check, config);
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn) {
        return ChildContextOp.run(this, name, type, fn, ChildContextConfig.defaults());
    }

    @Override
    public <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn) {
        return ChildContextOp.run(this, name, type.type(), fn, ChildContextConfig.defaults());
    }

    @Override
    public <T> T runInChildContext(String name, Class<T> type, ContextFunction<T> fn, ChildContextConfig config) {
        return ChildContextOp.run(this, name, type, fn, config);
    }

    @Override
    public <T> T runInChildContext(String name, TypeToken<T> type, ContextFunction<T> fn, ChildContextConfig config) {
        return ChildContextOp.run(this, name, type.type(), fn, config);
    }

    @Override
    public <T> BatchResult<T> parallel(
            String name, Class<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return BatchOp.parallel(this, name, type, branches, config);
    }

    @Override
    public <T> BatchResult<T> parallel(
            String name, TypeToken<T> type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return BatchOp.parallel(this, name, type.type(), branches, config);
    }

    @Override
    public <I, O> BatchResult<O> map(
            String name, List<I> items, Class<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return BatchOp.map(this, name, items, type, fn, config);
    }

    @Override
    public <I, O> BatchResult<O> map(
            String name, List<I> items, TypeToken<O> type, MapFunction<I, O> fn, ParallelConfig config) {
        return BatchOp.map(this, name, items, type.type(), fn, config);
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, Class<T> type) {
        return InvokeOp.run(this, name, functionName, input, type, InvokeConfig.defaults());
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, TypeToken<T> type) {
        return InvokeOp.run(this, name, functionName, input, type.type(), InvokeConfig.defaults());
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, Class<T> type, InvokeConfig config) {
        return InvokeOp.run(this, name, functionName, input, type, config);
    }

    @Override
    public <T> T invoke(String name, String functionName, Object input, TypeToken<T> type, InvokeConfig config) {
        return InvokeOp.run(this, name, functionName, input, type.type(), config);
    }

    @Override
    public boolean patched(String patchId) {
        return PatchOp.patched(this, patchId);
    }

    @Override
    public void deprecatePatch(String patchId) {
        PatchOp.deprecate(this, patchId);
    }

    @Override
    public Instant now() {
        return NowOp.run(this);
    }

    @Override
    public Random random() {
        if (random == null) {
            random = new Random(seed(cursor.prefix()));
        }
        return random;
    }

    /** A seed fixed per execution and {@code salt}: the same on every replay. */
    long seed(String salt) {
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
        return cursor.isReplaying();
    }

    @Override
    public Logger logger() {
        if (logger == null) {
            logger = new ReplayAwareLogger(inv.parts.logger(inv.function.name()), this);
        }
        return logger;
    }

    Logger stepLogger(String opId) {
        return new ReplayAwareLogger(inv.parts.logger(inv.function.name()), this, opId);
    }

    /** A call of an annotated method, as generated proxies and the agent make it. */
    @Override
    public DurableMethods.MethodCall enterMethod(DurableMethod method, Object[] args) {
        return MethodCallOp.enter(this, method, args);
    }
}
