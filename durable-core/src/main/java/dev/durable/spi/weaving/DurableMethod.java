package dev.durable.spi.weaving;

import dev.durable.CallbackConfig;
import dev.durable.RetryPolicy;
import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.annotations.Callback;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the engine needs to know about one {@code @Step}, {@code @Wait} or {@code @Callback} method, read once
 * from its annotations: kind, operation name, exact generic return type and configuration (with a step's result
 * version and the {@code @StepMigration} methods of its class that convert older results). Generated proxies keep
 * one per method in a static field; the agent caches one per woven method.
 */
public final class DurableMethod {
    /** The annotation that makes the method durable. */
    public enum Kind {
        STEP,
        WAIT,
        CALLBACK
    }

    private final Method method;
    private final Kind kind;
    private final String name;
    private final Type returnType;
    private final StepConfig stepConfig;
    private final Duration fixedWait;
    private final int waitParameter;
    private final boolean waitUntilInstant;
    private final CallbackConfig callbackConfig;

    private DurableMethod(Method method) {
        this.method = method;
        this.returnType = method.getGenericReturnType();
        Step step = method.getAnnotation(Step.class);
        Wait wait = method.getAnnotation(Wait.class);
        Callback callback = method.getAnnotation(Callback.class);
        int count = (step != null ? 1 : 0) + (wait != null ? 1 : 0) + (callback != null ? 1 : 0);
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        if (count != 1) {
            throw new IllegalArgumentException(
                    where + " must carry exactly one of @Step, @Wait, @Callback, has " + count);
        }
        SerDes serdes = step != null ? serdes(step.serdes(), where) : null;
        StepConfig.Builder config = StepConfig.builder();
        if (serdes != null) {
            config.serdes(serdes);
        }
        int parameter = -1;
        boolean instant = false;
        Duration fixed = null;
        CallbackConfig cb = null;
        if (step != null) {
            this.kind = Kind.STEP;
            this.name = step.value().isEmpty() ? method.getName() : step.value();
            config.retry(retryPolicy(step.retry(), where)).semantics(step.semantics());
            if (step.resultVersion() < 1) {
                throw new IllegalArgumentException(where + " @Step resultVersion is " + step.resultVersion()
                        + ": result versions count from 1 (the version of results journaled before versions"
                        + " were given)");
            }
            config.resultVersion(step.resultVersion());
            StepMigrations.addTo(config, method, name, step.resultVersion());
        } else if (wait != null) {
            this.kind = Kind.WAIT;
            this.name = wait.name().isEmpty() ? method.getName() : wait.name();
            fixed = Durations.parse(wait.value(), where + " @Wait");
            if (fixed == null) {
                Class<?>[] params = method.getParameterTypes();
                for (int i = 0; i < params.length; i++) {
                    if (params[i] == Duration.class || params[i] == Instant.class) {
                        parameter = i;
                        instant = params[i] == Instant.class;
                        break;
                    }
                }
                if (parameter < 0) {
                    throw new IllegalArgumentException(where + " @Wait has no duration: write @Wait(\"PT1H\") or give"
                            + " the method a java.time.Duration or java.time.Instant parameter");
                }
            }
            config.retry(RetryPolicy.noRetry());
        } else {
            this.kind = Kind.CALLBACK;
            this.name = callback.name().isEmpty() ? method.getName() : callback.name();
            cb = CallbackConfig.builder()
                    .timeout(Durations.parse(callback.timeout(), where + " @Callback timeout"))
                    .heartbeatTimeout(
                            Durations.parse(callback.heartbeatTimeout(), where + " @Callback heartbeatTimeout"))
                    .build();
            config.retry(cb.submitterRetry());
        }
        this.stepConfig = config.build();
        this.fixedWait = fixed;
        this.waitParameter = parameter;
        this.waitUntilInstant = instant;
        this.callbackConfig = cb;
    }

    /**
     * Reads the annotations of {@code method}.
     *
     * @throws IllegalArgumentException if they are malformed (the processor reports the same at compile time)
     */
    public static DurableMethod of(Method method) {
        return new DurableMethod(Objects.requireNonNull(method, "method must not be null"));
    }

    /** Looks the method up by name and parameter types, for generated code. */
    public static DurableMethod of(Class<?> owner, String methodName, Class<?>... parameterTypes) {
        try {
            return of(owner.getDeclaredMethod(methodName, parameterTypes));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(
                    "generated code refers to " + owner.getName() + "." + methodName
                            + " which no longer exists; recompile so the annotation processor regenerates the proxy",
                    e);
        }
    }

    public Method method() {
        return method;
    }

    public Kind kind() {
        return kind;
    }

    /** The operation's name in the journal. */
    public String name() {
        return name;
    }

    /** The method's exact generic return type. */
    public Type returnType() {
        return returnType;
    }

    /** The step configuration (for waits and callbacks: of the body that runs as a step). */
    public StepConfig stepConfig() {
        return stepConfig;
    }

    /** The callback's limits; only for {@link Kind#CALLBACK}. */
    public CallbackConfig callbackConfig() {
        return callbackConfig;
    }

    /** Until when a call with {@code args} waits, counted from {@code now}; only for {@link Kind#WAIT}. */
    public Instant waitUntil(Object[] args, Instant now) {
        if (fixedWait != null) {
            return now.plus(fixedWait);
        }
        Object arg = args[waitParameter];
        if (arg == null) {
            throw new IllegalArgumentException(
                    "the " + (waitUntilInstant ? "Instant" : "Duration") + " argument of @Wait method "
                            + method.getDeclaringClass().getSimpleName() + "." + method.getName() + " is null");
        }
        if (!waitUntilInstant && (((Duration) arg).isNegative() || ((Duration) arg).isZero())) {
            throw new IllegalArgumentException("the Duration argument of @Wait method "
                    + method.getDeclaringClass().getSimpleName() + "." + method.getName() + " must be positive, was "
                    + arg);
        }
        return waitUntilInstant ? (Instant) arg : now.plus((Duration) arg);
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' (" + method.getDeclaringClass().getSimpleName() + "." + method.getName() + ")";
    }

    private static RetryPolicy retryPolicy(Retry r, String where) {
        Duration initial = Durations.parse(r.initialDelay(), where + " @Retry initialDelay");
        Duration max = Durations.parse(r.maxDelay(), where + " @Retry maxDelay");
        return RetryPolicy.builder()
                .maxAttempts(r.maxAttempts())
                .initialDelay(initial == null ? Duration.ZERO : initial)
                .backoff(r.backoff())
                .maxDelay(max == null ? Duration.ofMinutes(1) : max)
                .jitter(r.jitter())
                .retryOn(r.retryOn())
                .noRetryOn(r.noRetryOn())
                .build();
    }

    private static SerDes serdes(Class<?> type, String where) {
        if (type == void.class || type == Void.class) {
            return null;
        }
        if (!SerDes.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    where + " @Step serdes " + type.getName() + " does not implement " + SerDes.class.getName());
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            return (SerDes) c.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(
                    where + " @Step serdes " + type.getName() + " needs a public no-argument constructor", e);
        }
    }

    public static boolean atMostOnce(StepConfig config) {
        return config.semantics() == StepSemantics.AT_MOST_ONCE_PER_RETRY;
    }
}
