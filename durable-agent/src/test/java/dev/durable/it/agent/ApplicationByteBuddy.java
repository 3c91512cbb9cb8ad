package dev.durable.it.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;

/** The application's own use of ByteBuddy, kept apart so other scenarios run without ByteBuddy on the class path. */
final class ApplicationByteBuddy {
    private ApplicationByteBuddy() {}

    static Object generate() throws ReflectiveOperationException {
        Class<?> made = new ByteBuddy()
                .subclass(Object.class)
                .method(named("toString"))
                .intercept(FixedValue.value("made by the application's ByteBuddy"))
                .make()
                .load(ApplicationByteBuddy.class.getClassLoader())
                .getLoaded();
        return made.getDeclaredConstructor().newInstance();
    }

    static String location() {
        return ByteBuddy.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();
    }
}
