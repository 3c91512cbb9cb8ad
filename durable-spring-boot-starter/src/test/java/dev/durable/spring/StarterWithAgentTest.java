package dev.durable.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.HistoryEvent;
import dev.durable.ManualClock;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spring.app.ApprovalFlow;
import dev.durable.spring.app.Decision;
import dev.durable.spring.app.Greeter;
import dev.durable.spring.app.Outbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs with -javaagent:durable-agent.jar (its own surefire execution, which sets durable.expect.agent): plain
 * classes are durable.
 */
@EnabledIfSystemProperty(named = "durable.expect.agent", matches = "true")
class StarterWithAgentTest {
    private final ApplicationContextRunner memory = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DurableAutoConfiguration.class))
            .withPropertyValues("durable.durability=memory");

    @Test
    void theAgentIsActive() {
        assertThat(System.getProperty("dev.durable.agent.active")).isEqualTo("true");
    }

    @Test
    void anAgentOnlyClassWithAPrivateStepIsABeanAndDurable() {
        memory.withBean("agentOnlyFlow", AgentOnlyFlow.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
            assertThat(runtime.<String>start(AgentOnlyFlow.class, "a", "hi").result(Duration.ofSeconds(10)))
                    .isEqualTo("HI");
            assertThat(runtime.history("a")).extracting(HistoryEvent::toString).anyMatch(e -> e.contains("work"));
        });
    }

    @Test
    void withTheAgentTheStarterKeepsThePlainClass() {
        ManualClock clock = new ManualClock();
        memory.withUserConfiguration(ApprovalFlow.class, Greeter.class, Outbox.class)
                .withBean(ManualClock.class, () -> clock)
                .run(ctx -> {
                    assertThat(ctx.getBean(ApprovalFlow.class)).isNotInstanceOf(DurableProxy.class);
                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    var ex = runtime.<String>start(ApprovalFlow.class, "x", "Ada");
                    assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
                    clock.advance(Duration.ofHours(1));
                    runtime.completeCallback(ctx.getBean(Outbox.class).take(), new Decision(true, "Grace"));
                    assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("Hello, Ada! approved by Grace");
                    assertThat(ctx.getBean(Greeter.class).calls).hasValue(1);
                });
    }

    @Test
    void aClassBasedSpringAopProxyOfADurableBeanWorksWithTheAgent() {
        DurableAutoConfigurationTest.Aop.AUDITED.clear();
        memory.withUserConfiguration(DurableAutoConfigurationTest.Aop.class)
                .withBean("auditedFlow", AuditedFlow.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    AuditedFlow bean = ctx.getBean(AuditedFlow.class);
                    assertThat(AopUtils.isCglibProxy(bean)).isTrue();
                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    assertThat(runtime.<String>start(AuditedFlow.class, "a", "hi")
                                    .result(Duration.ofSeconds(10)))
                            .isEqualTo("hi!");
                    assertThat(runtime.history("a"))
                            .extracting(HistoryEvent::toString)
                            .anyMatch(e -> e.contains("work"));
                    // the handler calls work() on `this`, the target: Spring's advice is not applied there ...
                    assertThat(DurableAutoConfigurationTest.Aop.AUDITED).isEmpty();
                    // ... but is for callers from outside, through the Spring proxy
                    assertThat(bean.work("x")).isEqualTo("x!");
                    assertThat(DurableAutoConfigurationTest.Aop.AUDITED).containsExactly("work");
                });
    }
}
