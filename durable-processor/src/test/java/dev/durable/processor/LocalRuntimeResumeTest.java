package dev.durable.processor;

import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A class compiled by the processor runs on LocalRuntime, stops twice, and resumes from its journal. */
class LocalRuntimeResumeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void resumedExecutionRunsEachStepBodyOnce(@TempDir Path classesDir, @TempDir Path journal) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(source(
                        "Greeter",
                        "@DurableFunction(\"greetings\")",
                        "public class Greeter {",
                        "  public static final java.util.concurrent.atomic.AtomicInteger FETCHES = new java.util.concurrent.atomic.AtomicInteger();",
                        "  public static final java.util.concurrent.atomic.AtomicInteger ASKS = new java.util.concurrent.atomic.AtomicInteger();",
                        "  public static final java.util.concurrent.atomic.AtomicInteger SENDS = new java.util.concurrent.atomic.AtomicInteger();",
                        "  public static volatile String callbackId;",
                        "  @Handler public String handle(String name) {",
                        "    String profile = fetch(name);",
                        "    coolOff();",
                        "    String answer = ask(name);",
                        "    return send(profile + \":\" + answer);",
                        "  }",
                        "  @Step String fetch(String n) { FETCHES.incrementAndGet(); return \"profile-\" + n; }",
                        "  @Wait(\"PT1H\") void coolOff() {}",
                        "  @Callback(timeout = \"P1D\") String ask(String n) {",
                        "    callbackId = dev.durable.Durable.callbackId(); ASKS.incrementAndGet(); return null;",
                        "  }",
                        "  @Step String send(String s) { SENDS.incrementAndGet(); return \"sent \" + s; }",
                        "}")),
                classesDir);
        Class<?> greeter = classes.load("test.Greeter");
        ManualClock clock = new ManualClock();

        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open()) {
            runtime.register(classes.newInstance("test.Greeter_Durable"));
            runtime.start(greeter, "greet-ada", "ada");
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        }
        assertThat(counter(greeter, "FETCHES")).hasValue(1);
        assertThat(counter(greeter, "ASKS")).hasValue(0);

        clock.advance(Duration.ofHours(2));
        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open()) {
            runtime.register(classes.newInstance("test.Greeter_Durable"));
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        }
        assertThat(counter(greeter, "ASKS")).hasValue(1);
        String callbackId = (String) greeter.getField("callbackId").get(null);

        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open()) {
            runtime.register(classes.newInstance("test.Greeter_Durable"));
            runtime.completeCallback(callbackId, "yes");
            Execution<String> execution = runtime.execution("greet-ada");
            assertThat(execution.result(TIMEOUT)).isEqualTo("sent profile-ada:yes");
        }
        assertThat(counter(greeter, "FETCHES")).hasValue(1);
        assertThat(counter(greeter, "ASKS")).hasValue(1);
        assertThat(counter(greeter, "SENDS")).hasValue(1);
    }

    private static AtomicInteger counter(Class<?> type, String field) throws ReflectiveOperationException {
        return (AtomicInteger) type.getField(field).get(null);
    }
}
