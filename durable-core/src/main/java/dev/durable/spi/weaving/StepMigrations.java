package dev.durable.spi.weaving;

import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.annotations.StepMigration;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code @StepMigration} methods of one step, found in the step's class by the step's journaled name and added
 * to its configuration. Checked here as the processor checks them at compile time, for classes it did not see.
 */
final class StepMigrations {
    private StepMigrations() {}

    /**
     * Adds every migration of step {@code name} (declared by {@code step}) to {@code config}.
     *
     * @throws IllegalArgumentException naming the migration method when one is malformed
     */
    static void addTo(StepConfig.Builder config, Method step, String name, int resultVersion) {
        Map<Integer, Method> byVersion = new HashMap<>();
        Class<?> result = MethodType.methodType(step.getReturnType()).wrap().returnType();
        for (Method m : step.getDeclaringClass().getDeclaredMethods()) {
            StepMigration migration = m.getAnnotation(StepMigration.class);
            if (migration == null || !migration.step().equals(name)) {
                continue;
            }
            String where = "@StepMigration method " + m.getDeclaringClass().getName() + "." + m.getName();
            int from = migration.from();
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException(where + " is not static: a migration runs on every replay of an"
                        + " old result and must depend on nothing but that value; make it static");
            }
            if (m.getParameterCount() != 1) {
                throw new IllegalArgumentException(where + " takes " + m.getParameterCount() + " parameters: it"
                        + " takes one, the type a result of version " + from + " is read as");
            }
            if (from < 1 || from >= resultVersion) {
                throw new IllegalArgumentException(where + " converts from result version " + from + " but step '"
                        + name + "' has result version " + resultVersion + ": a migration converts from a version"
                        + " between 1 and the step's current one, excluded; raise @Step(resultVersion) or fix from");
            }
            Class<?> returned = MethodType.methodType(m.getReturnType()).wrap().returnType();
            if (!result.isAssignableFrom(returned)) {
                throw new IllegalArgumentException(
                        where + " returns " + m.getReturnType().getName() + ", not the" + " result type "
                                + step.getReturnType().getName() + " of step '" + name + "': return it");
            }
            Method earlier = byVersion.putIfAbsent(from, m);
            if (earlier != null) {
                throw new IllegalArgumentException(where + " and " + earlier.getName() + " both convert step '" + name
                        + "' from result version " + from + ": keep one");
            }
            m.setAccessible(true);
            @SuppressWarnings("unchecked")
            TypeToken<Object> oldType = (TypeToken<Object>) TypeToken.of(m.getGenericParameterTypes()[0]);
            config.migrateFrom(from, oldType, invoking(m));
        }
    }

    private static Function<Object, Object> invoking(Method m) {
        return old -> {
            try {
                return m.invoke(null, old);
            } catch (InvocationTargetException e) {
                throw StepMigrations.<RuntimeException>sneaky(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call @StepMigration method " + m, e);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
