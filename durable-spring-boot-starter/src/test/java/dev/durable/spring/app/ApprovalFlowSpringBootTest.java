package dev.durable.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.spi.weaving.DurableProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A scanned @DurableFunction component on a virtual clock: step, one-hour wait skipped, callback, step. */
@SpringBootTest(properties = {"durable.durability=memory", "app.suffix=?"})
class ApprovalFlowSpringBootTest {
    @TestConfiguration
    static class VirtualTime {
        @Bean
        ManualClock clock() {
            return new ManualClock();
        }
    }

    @Autowired
    DurableRuntime runtime;

    @Autowired
    ManualClock clock;

    @Autowired
    ApprovalFlow flow;

    @Autowired
    Greeter greeter;

    @Autowired
    Outbox outbox;

    @Test
    void aScannedComponentWithConstructorInjectionRunsThroughItsGeneratedProxy() throws Exception {
        assertThat(flow).isInstanceOf(DurableProxy.class).isInstanceOf(ApprovalFlow_Durable.class);
        assertThat(runtime).isInstanceOf(LocalRuntime.class);
        assertThat(((LocalRuntime) runtime).clock()).isSameAs(clock);

        Execution<String> ex = runtime.start(ApprovalFlow.class, "ada", "Ada");
        assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(ex.status()).isEqualTo(ExecutionStatus.WAITING); // on the one-hour wait: no sleep, no thread

        clock.advance(Duration.ofHours(1));
        String callbackId = outbox.take();
        runtime.completeCallback(callbackId, new Decision(true, "Grace"));

        assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("Hello, Ada? approved by Grace");
        assertThat(greeter.calls).hasValue(1); // the step ran once although the handler re-ran after each suspension
    }
}
