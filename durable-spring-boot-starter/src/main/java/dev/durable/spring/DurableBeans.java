package dev.durable.spring;

import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Step;
import dev.durable.annotations.Wait;
import java.lang.reflect.Method;

/** What the starter needs to know about {@code @DurableFunction} classes. */
final class DurableBeans {
    /** Set by the durable agent once it is installed (see {@code DurableAgent.ACTIVE_PROPERTY}). */
    static final String AGENT_ACTIVE_PROPERTY = "dev.durable.agent.active";

    static final String AGENT_HINT = "start the JVM with -javaagent:durable-agent.jar (or call"
            + " dev.durable.agent.DurableAgent.install() before SpringApplication.run)";

    private DurableBeans() {}

    static boolean agentActive() {
        return "true".equals(System.getProperty(AGENT_ACTIVE_PROPERTY));
    }

    /** The class carrying {@code @DurableFunction}: {@code type} or its nearest superclass that does; or null. */
    static Class<?> durableClass(Class<?> type) {
        Class<?> c = type;
        while (c != null && !c.isAnnotationPresent(DurableFunction.class)) {
            c = c.getSuperclass();
        }
        return c;
    }

    /** Whether the class declares {@code @Step}, {@code @Wait} or {@code @Callback} methods, which need weaving. */
    static boolean hasDurableMethods(Class<?> annotated) {
        for (Method m : annotated.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Step.class)
                    || m.isAnnotationPresent(Wait.class)
                    || m.isAnnotationPresent(Callback.class)) {
                return true;
            }
        }
        return false;
    }

    static String describe(String beanName, Class<?> annotated) {
        DurableFunction f = annotated.getAnnotation(DurableFunction.class);
        String name = f.value().isEmpty() ? annotated.getSimpleName() : f.value();
        return "Bean '" + beanName + "' (" + annotated.getName() + ", @DurableFunction '" + name + "')";
    }
}
