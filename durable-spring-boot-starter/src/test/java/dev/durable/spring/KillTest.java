package dev.durable.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.spring.app.ApprovalFlow;
import dev.durable.spring.app.Decision;
import dev.durable.spring.app.Greeter;
import dev.durable.spring.app.Outbox;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A Spring Boot application killed with SIGKILL while an execution waits: the next one finishes it. */
class KillTest {
    /** The child JVM: starts the application, runs an execution to its callback, reports the id, then waits. */
    public static void main(String[] args) throws Exception {
        ManualClock clock = new ManualClock();
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GracefulShutdownTest.App.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .properties("durable.directory=" + args[0], "spring.main.banner-mode=off")
                .run();
        DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
        runtime.start(ApprovalFlow.class, "k-1", "Ada");
        runtime.awaitIdle(Duration.ofSeconds(10));
        clock.advance(Duration.ofHours(1));
        String id = ctx.getBean(Outbox.class).take();
        runtime.awaitIdle(Duration.ofSeconds(10));
        System.out.println("CALLBACK " + id);
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // until killed
    }

    @Test
    void anExecutionWaitingWhenTheApplicationIsKilledFinishesAfterTheRestart(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KillTest.class.getName(),
                        dir.toString()))
                .redirectErrorStream(true)
                .start();
        String id = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("CALLBACK ")) {
                    id = line.substring("CALLBACK ".length());
                    break;
                }
            }
            assertThat(id).as("the child reported its callback id").isNotNull();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T02:00:00Z"));
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GracefulShutdownTest.App.class)
                .web(WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .properties("durable.directory=" + dir, "spring.main.banner-mode=off")
                .run()) {
            DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
            runtime.completeCallback(id, new Decision(true, "Grace"));
            Execution<String> ex = runtime.execution("k-1");
            assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("Hello, Ada! approved by Grace");
            assertThat(ctx.getBean(Greeter.class).calls)
                    .hasValue(0); // the greeting step was acknowledged before the kill
        }
    }
}
