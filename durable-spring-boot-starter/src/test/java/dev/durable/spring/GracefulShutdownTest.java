package dev.durable.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.spring.app.ApprovalFlow;
import dev.durable.spring.app.Decision;
import dev.durable.spring.app.Greeter;
import dev.durable.spring.app.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;

/** Closing the application context closes the journal cleanly; the next context on the directory resumes. */
class GracefulShutdownTest {
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({ApprovalFlow.class, Greeter.class, Outbox.class})
    static class App {}

    private static ConfigurableApplicationContext start(Path dir, ManualClock clock) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock))
                .properties("durable.directory=" + dir, "spring.main.banner-mode=off")
                .run();
    }

    @Test
    void anExecutionWaitingWhenTheContextClosesFinishesInTheNextContextThroughTheInjectedRuntime(@TempDir Path dir)
            throws Exception {
        String callbackId;
        try (ConfigurableApplicationContext first = start(dir, new ManualClock())) {
            DurableRuntime runtime = first.getBean(DurableRuntime.class);
            ManualClock clock = first.getBean(ManualClock.class);
            runtime.start(ApprovalFlow.class, "order-1", "Ada");
            assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofHours(1));
            callbackId = first.getBean(Outbox.class).take();
            assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.execution("order-1").status()).isEqualTo(ExecutionStatus.WAITING);
            assertThat(first.getBean(Greeter.class).calls).hasValue(1);
        }

        try (ConfigurableApplicationContext second =
                start(dir, new ManualClock(java.time.Instant.parse("2025-01-01T02:00:00Z")))) {
            DurableRuntime runtime = second.getBean(DurableRuntime.class);
            runtime.completeCallback(callbackId, new Decision(true, "Grace"));
            Execution<String> ex = runtime.execution("order-1");
            assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("Hello, Ada! approved by Grace");
            assertThat(second.getBean(Greeter.class).calls).hasValue(0); // replayed from the journal, not re-run
        }
    }

    @Test
    void aStepRunningWhenTheContextClosesIsCheckpointedAndNotRunAgainAfterTheRestart(@TempDir Path dir)
            throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        ConfigurableApplicationContext first = start(dir, new ManualClock());
        first.addApplicationListener(e -> {
            if (e instanceof ContextClosedEvent) {
                closing.countDown(); // published before the lifecycle stops, so before the runtime closes
            }
        });
        DurableRuntime runtime = first.getBean(DurableRuntime.class);
        registerSlow(runtime, runs, inStep, release);
        runtime.start("slow", "s-1", "x");
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
        assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        closed.get(40, TimeUnit.SECONDS); // close waits for the running handler (up to 30 s)

        try (ConfigurableApplicationContext second = start(dir, new ManualClock())) {
            DurableRuntime again = second.getBean(DurableRuntime.class);
            registerSlow(again, runs, new CountDownLatch(1), release);
            Execution<String> ex = again.execution("s-1");
            assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("x done");
        }
        assertThat(runs).hasValue(1); // the step finished during the close, its result was journaled and replayed
    }

    private static void registerSlow(
            DurableRuntime runtime, AtomicInteger runs, CountDownLatch inStep, CountDownLatch release) {
        runtime.register("slow", String.class, String.class, (s, ctx) -> {
            String r = ctx.step("slow-step", String.class, st -> {
                runs.incrementAndGet();
                inStep.countDown();
                release.await();
                return s;
            });
            return ctx.step("finish", String.class, st -> r + " done");
        });
    }
}
