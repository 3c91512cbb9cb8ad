package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.ExecutionStatus;
import dev.durable.TypeToken;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every public runtime method given a null where a value is required says which parameter, not a bare NPE. */
class NullArgumentsTest {
    /** Parameters where null is a value: an input or payload of null, no message, data, status filter or reason. */
    private static final Set<String> NULLABLE =
            Set.of("input", "payload", "message", "errorType", "errorData", "statuses", "reason");

    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "x";
        }
        if (type == Class.class) {
            return String.class;
        }
        if (type == TypeToken.class) {
            return new TypeToken<String>() {};
        }
        if (type == DurableHandler.class) {
            return (DurableHandler<String, String>) (in, ctx) -> in;
        }
        if (type == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (type == ExecutionStatus[].class) {
            return new ExecutionStatus[0];
        }
        return new Object();
    }

    @Test
    void everyRequiredParameterOfTheRuntimeIsNamedWhenNull() throws Exception {
        List<String> problems = new ArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> {})) {
            for (Method m : DurableRuntime.class.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || m.getName().equals("close")) {
                    continue;
                }
                Parameter[] params = m.getParameters();
                for (int i = 0; i < params.length; i++) {
                    if (params[i].getType().isPrimitive() || NULLABLE.contains(params[i].getName())) {
                        continue;
                    }
                    Object[] args = new Object[params.length];
                    for (int j = 0; j < params.length; j++) {
                        args[j] = j == i ? null : sample(params[j].getType());
                    }
                    String message;
                    try {
                        m.invoke(f.engine, args);
                        message = "(no exception)";
                    } catch (InvocationTargetException e) {
                        message = String.valueOf(e.getCause().getMessage());
                    }
                    if (!message.contains(params[i].getName())) {
                        problems.add(m.getName() + "(" + params[i].getName() + " = null): " + message);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
