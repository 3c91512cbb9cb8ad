package dev.durable.processor;

import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outside an execution a proxy behaves exactly like the class it extends. */
class ProxyBehaviourTest {
    private static CompiledClasses classes;
    private static Object proxy;

    @BeforeAll
    static void compileCounter(@TempDir Path directory) throws ReflectiveOperationException {
        classes = CompiledClasses.of(
                compile(source(
                        "Counter",
                        "@DurableFunction",
                        "class Counter {",
                        "  int calls;",
                        "  Counter(int start) { calls = start; }",
                        "  @Handler public int handle() { return add(1, 2); }",
                        "  @Step int add(int... xs) { calls++; return java.util.stream.IntStream.of(xs).sum(); }",
                        "  @Step void missing() throws IOException { throw new FileNotFoundException(\"gone\"); }",
                        "  @Step String broken() { throw new IllegalStateException(\"boom\"); }",
                        "  @Step <T> List<T> twice(T t) { return List.of(t, t); }",
                        "  @Wait(\"PT1S\") void pause() { calls++; }",
                        "}")),
                directory);
        proxy = classes.newInstance("test.Counter_Durable", 10);
    }

    @Test
    void returnsPrimitivesFromVarargsMethodsAndRunsTheBody() throws Throwable {
        int before = (int) CompiledClasses.call(proxy, "handle");

        assertThat(before).isEqualTo(3);
        assertThat(CompiledClasses.call(proxy, "add", (Object) new int[] {4, 5}))
                .isEqualTo(9);
    }

    @Test
    void rethrowsCheckedExceptionsUnchanged() {
        assertThatThrownBy(() -> CompiledClasses.call(proxy, "missing"))
                .isExactlyInstanceOf(FileNotFoundException.class)
                .hasMessage("gone");
    }

    @Test
    void rethrowsRuntimeExceptionsUnchanged() {
        assertThatThrownBy(() -> CompiledClasses.call(proxy, "broken"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
    }

    @Test
    void voidAndGenericMethodsRunTheirBodies() throws Throwable {
        assertThat(CompiledClasses.call(proxy, "pause")).isNull();
        assertThat(CompiledClasses.call(proxy, "twice", "x")).isEqualTo(List.of("x", "x"));
    }

    @Test
    void proxyIsMarkedAndRegisteredThroughServiceLoader() throws ClassNotFoundException {
        Class<?> counter = classes.load("test.Counter");

        assertThat(proxy).isInstanceOf(DurableProxy.class).isInstanceOf(counter);
        assertThat(ProxyRegistration.proxyOf(counter)).contains(proxy.getClass());
    }
}
