package dev.durable.internal;

import dev.durable.DurableHandler;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepMigration;
import dev.durable.annotations.Wait;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Set;
import java.util.TreeSet;

/** Reads an instance of a {@code @DurableFunction} class as a function: its name, version, handler and types. */
final class AnnotatedFunction {
    private AnnotatedFunction() {}

    static RegisteredFunction of(Object durableFunction) {
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
            durableMethods |= m.isAnnotationPresent(Step.class)
                    || m.isAnnotationPresent(Wait.class)
                    || m.isAnnotationPresent(Callback.class);
        }
        checkMigrationsNameSteps(annotated);
        if (handler == null) {
            throw new IllegalArgumentException(
                    annotated.getName() + " has no @Handler method; annotate the entry point");
        }
        if (handler.getParameterCount() > 1) {
            throw new IllegalArgumentException(annotated.getName() + "." + handler.getName() + " takes "
                    + handler.getParameterCount() + " parameters; a @Handler takes the input (one) or none");
        }
        if (durableMethods
                && !(durableFunction instanceof DurableProxy)
                && !"true".equals(System.getProperty("dev.durable.agent.active"))) {
            throw new IllegalArgumentException(annotated.getName() + " was registered as a plain instance, so its"
                    + " @Step/@Wait/@Callback methods would run without checkpoints. " + fix(annotated));
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
        return RegisteredFunction.of(name, ann.version(), in, out, invoke, annotated);
    }

    /** A {@code @StepMigration} naming no step would never run: refused, as the processor refuses it. */
    private static void checkMigrationsNameSteps(Class<?> annotated) {
        Set<String> steps = new TreeSet<>();
        for (Method m : annotated.getDeclaredMethods()) {
            Step step = m.getAnnotation(Step.class);
            if (step != null) {
                steps.add(step.value().isEmpty() ? m.getName() : step.value());
            }
        }
        for (Method m : annotated.getDeclaredMethods()) {
            StepMigration migration = m.getAnnotation(StepMigration.class);
            if (migration != null && !steps.contains(migration.step())) {
                throw new IllegalArgumentException("@StepMigration method " + annotated.getName() + "." + m.getName()
                        + " converts results of step '" + migration.step() + "', which no @Step method of "
                        + annotated.getSimpleName() + " has (its steps: " + String.join(", ", steps) + "); name the"
                        + " step as it is journaled: its @Step value, or its method name");
            }
        }
    }

    private static String fix(Class<?> annotated) {
        return annotated.getAnnotation(DurableFunction.class).proxy()
                ? "Register new "
                        + ProxyRegistration.proxyOf(annotated)
                                .map(Class::getSimpleName)
                                .orElse(annotated.getSimpleName() + "_Durable")
                        + "(...) generated by durable-processor, or run the JVM with -javaagent:durable-agent.jar"
                : "It is made durable by the agent alone (proxy = false): run the JVM with -javaagent:durable-agent.jar";
    }
}
