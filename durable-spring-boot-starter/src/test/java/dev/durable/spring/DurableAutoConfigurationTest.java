package dev.durable.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.PayloadTooLargeException;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.Durability;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spring.app.ApprovalFlow;
import dev.durable.spring.app.ApprovalFlow_Durable;
import dev.durable.spring.app.Decision;
import dev.durable.spring.app.Greeter;
import dev.durable.spring.app.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class DurableAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(DurableAutoConfiguration.class, DurableHealthAutoConfiguration.class));

    private final ApplicationContextRunner memory = runner.withPropertyValues("durable.durability=memory");

    @Test
    void propertiesBindAndShapeTheRuntime(@TempDir Path dir) {
        runner.withPropertyValues(
                        "durable.directory=" + dir.resolve("journal"),
                        "durable.durability=batched",
                        "durable.retention=P1D",
                        "durable.threads=3",
                        "durable.payload-limit=1KB")
                .run(ctx -> {
                    DurableProperties p = ctx.getBean(DurableProperties.class);
                    assertThat(p.getDirectory()).isEqualTo(dir.resolve("journal"));
                    assertThat(p.getDurability()).isEqualTo(Durability.BATCHED);
                    assertThat(p.getRetention()).isEqualTo(Duration.ofDays(1));
                    assertThat(p.getThreads()).isEqualTo(3);
                    assertThat(p.getPayloadLimit()).isEqualTo(DataSize.ofKilobytes(1));

                    LocalRuntime runtime = ctx.getBean(LocalRuntime.class);
                    assertThat(ctx.getBean(DurableRuntime.class)).isSameAs(runtime);
                    assertThat(runtime.directory()).isEqualTo(dir.resolve("journal"));
                    assertThat(((FileJournal) runtime.journal()).options().durability())
                            .isEqualTo(Durability.BATCHED);
                    runtime.register("echo", String.class, String.class, (s, c) -> s);
                    assertThatThrownBy(() -> runtime.start("echo", "big", "x".repeat(2000)))
                            .isInstanceOf(PayloadTooLargeException.class);
                });
    }

    @Test
    void theDefaultsAreTheRuntimeDefaults() {
        DurableProperties p = new DurableProperties();
        assertThat(p.getRetention()).isEqualTo(LocalRuntime.DEFAULT_RETENTION);
        assertThat(p.getThreads()).isNull();
        assertThat(p.getVirtualThreads()).isNull();
        assertThat(p.getPayloadLimit().toBytes()).isEqualTo(DurableRuntime.DEFAULT_PAYLOAD_LIMIT);
        assertThat(p.getDurability()).isEqualTo(Durability.SYNC);
        assertThat(p.getDirectory()).isEqualTo(Path.of(".durable"));
    }

    @Test
    void virtualThreadsOffRunsHandlersOnTheRuntimesPlatformThreads() {
        memory.withPropertyValues("durable.virtual-threads=false").run(ctx -> {
            LocalRuntime runtime = ctx.getBean(LocalRuntime.class);
            runtime.register(
                    "where",
                    String.class,
                    String.class,
                    (s, c) -> Thread.currentThread().getName());
            assertThat(runtime.<String>start("where", "w", "x").result(Duration.ofSeconds(10)))
                    .startsWith("durable-runner-");
        });
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledOnJre(org.junit.jupiter.api.condition.JRE.JAVA_17)
    void virtualThreadsOnJava17StopsStartUpSayingTheyNeedJava21() {
        memory.withPropertyValues("durable.virtual-threads=true")
                .run(ctx -> assertThat(ctx)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("virtual threads need Java 21 or later"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnRuntimeAndRegistersFunctionsWithIt() {
        runner.withBean("myRuntime", DurableRuntime.class, LocalRuntime::inMemory)
                .withUserConfiguration(ApprovalFlow.class, Greeter.class, Outbox.class)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(DurableRuntime.class).doesNotHaveBean("durableRuntime");
                    DurableRuntime mine = ctx.getBean("myRuntime", DurableRuntime.class);
                    assertThat(ctx.getBean(DurableFunctionRegistrar.class).functions())
                            .containsEntry("approvalFlow", "approvals");
                    mine.start("approvals", "x", "X"); // the function is registered with the application's runtime
                    assertThat(mine.awaitIdle(Duration.ofSeconds(10))).isTrue();
                    assertThat(mine.execution("x").status()).isEqualTo(ExecutionStatus.WAITING);
                });
    }

    @Test
    void aBeanDeclaredByClassIsTheGeneratedProxyWithItsConstructorArgumentsResolvedAsForTheClass() {
        memory.withPropertyValues("app.suffix=?")
                .withUserConfiguration(ApprovalFlow.class, Greeter.class, Outbox.class)
                .run(ctx -> {
                    assertThat(ctx.getBean(ApprovalFlow.class)).isInstanceOf(ApprovalFlow_Durable.class);
                    assertThat(ctx.getBean(ApprovalFlow.class).greet("Ada"))
                            .isEqualTo("Hello, Ada?"); // @Value on a parameter
                });
    }

    @Test
    void aBeanNoProxyAndNoAgentCanMakeDurableFailsStartUpNamingTheBeanAndTheFix() {
        memory.withBean("agentOnlyFlow", AgentOnlyFlow.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            Throwable failure = ctx.getStartupFailure();
            assertThat(failure)
                    .isInstanceOf(DurableBeanException.class)
                    .hasMessageContaining(
                            "Bean 'agentOnlyFlow' (dev.durable.spring.AgentOnlyFlow, @DurableFunction 'agent-only')")
                    .hasMessageContaining("proxy = false")
                    .hasMessageContaining("-javaagent:durable-agent.jar");
            FailureAnalysis analysis = new DurableFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).contains("'agentOnlyFlow'", "cannot be made durable");
            assertThat(analysis.getAction()).contains("-javaagent");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class PlainBeanMethod {
        @Bean
        ApprovalFlow approvalFlow(Greeter greeter, Outbox outbox) {
            return new ApprovalFlow(greeter, outbox, "!");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProxyBeanMethod {
        @Bean
        ApprovalFlow approvalFlow(Greeter greeter, Outbox outbox) {
            return new ApprovalFlow_Durable(greeter, outbox, "!");
        }
    }

    @Test
    void aBeanMethodReturningAPlainInstanceFailsStartUpSayingToReturnTheGeneratedProxy() {
        memory.withUserConfiguration(PlainBeanMethod.class, Greeter.class, Outbox.class)
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    // thrown when the context starts (registration), wrapped by Spring; the analyzer finds it
                    assertThat(ctx.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(DurableBeanException.class)
                            .hasMessageContaining("Bean 'approvalFlow'")
                            .hasMessageContaining("@Bean method 'approvalFlow', which returns a plain ApprovalFlow")
                            .hasMessageContaining("Return new ApprovalFlow_Durable(...) from the @Bean method");
                    assertThat(new DurableFailureAnalyzer()
                                    .analyze(ctx.getStartupFailure())
                                    .getAction())
                            .startsWith("Return new ApprovalFlow_Durable(...)");
                });
    }

    @Test
    void aBeanMethodReturningTheGeneratedProxyIsRegistered() {
        memory.withUserConfiguration(ProxyBeanMethod.class, Greeter.class, Outbox.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(DurableFunctionRegistrar.class).functions())
                            .containsEntry("approvalFlow", "approvals");
                });
    }

    /** Spring AOP with class-based (CGLIB) proxies, the machinery behind @Transactional, @Async and aspects. */
    @Configuration(proxyBeanMethods = false)
    static class Aop {
        static final List<String> AUDITED = new CopyOnWriteArrayList<>();

        @Bean
        static DefaultAdvisorAutoProxyCreator autoProxyCreator() {
            DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
            creator.setProxyTargetClass(true);
            return creator;
        }

        @Bean
        static Advisor auditAdvisor() {
            MethodInterceptor audit = invocation -> {
                AUDITED.add(invocation.getMethod().getName());
                return invocation.proceed();
            };
            // inherited annotations count, as for @Transactional: the generated proxy's overrides do not repeat them
            return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Audited.class, true), audit);
        }
    }

    @Test
    void springAopOnTheDurableBeanItselfFailsStartUpWithAnAnalysisSayingWhatToDo() {
        memory.withUserConfiguration(Aop.class)
                .withBean("auditedFlow", AuditedFlow.class)
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    FailureAnalysis analysis = new DurableFailureAnalyzer().analyze(ctx.getStartupFailure());
                    assertThat(analysis)
                            .as("analysis of %s", ctx.getStartupFailure())
                            .isNotNull();
                    assertThat(analysis.getDescription())
                            .contains("Bean 'auditedFlow'", "final", "AuditedFlow_Durable");
                    assertThat(analysis.getAction()).contains("Move the advised methods to another bean", "-javaagent");
                });
    }

    @Test
    void springAopOnTheBeansTheStepsCallWorks() {
        Aop.AUDITED.clear();
        ManualClock clock = new ManualClock();
        memory.withUserConfiguration(Aop.class, ApprovalFlow.class, Outbox.class)
                .withBean("greeter", Greeter.class, AuditedGreeter::new)
                .withBean(ManualClock.class, () -> clock)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(AopUtils.isCglibProxy(ctx.getBean(Greeter.class)))
                            .isTrue();
                    assertThat(ctx.getBean(ApprovalFlow.class)).isInstanceOf(DurableProxy.class);
                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    Execution<String> ex = runtime.start(ApprovalFlow.class, "a", "Ada");
                    assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
                    clock.advance(Duration.ofHours(1));
                    runtime.completeCallback(ctx.getBean(Outbox.class).take(), new Decision(false, "Grace"));
                    assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("Hello, Ada! rejected by Grace");
                    assertThat(Aop.AUDITED).containsExactly("greet"); // advised, and once: the step was replayed
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class InterfaceAop {
        @Bean
        static DefaultAdvisorAutoProxyCreator autoProxyCreator() {
            return new DefaultAdvisorAutoProxyCreator(); // proxy-target-class false: JDK proxies where interfaces allow
        }

        @Bean
        static Advisor auditAdvisor() {
            return Aop.auditAdvisor();
        }
    }

    @Test
    void anInterfaceBasedSpringProxyOfTheGeneratedProxyIsHandledByRegisteringItsTarget() {
        Aop.AUDITED.clear();
        memory.withUserConfiguration(InterfaceAop.class)
                .withBean("shoutingFlow", ShoutingFlow.class)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    Shouting bean = ctx.getBean(Shouting.class);
                    assertThat(AopUtils.isJdkDynamicProxy(bean)).isTrue();
                    assertThat(bean.shout("a")).isEqualTo("A"); // callers through the interface get the advice
                    assertThat(Aop.AUDITED).containsExactly("shout");

                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    assertThat(runtime.<String>start(ShoutingFlow.class, "s", "hey")
                                    .result(Duration.ofSeconds(10)))
                            .isEqualTo("HEY");
                    assertThat(runtime.history("s"))
                            .anySatisfy(e -> assertThat(e.toString()).contains("shout")); // journaled
                    assertThat(Aop.AUDITED)
                            .containsExactly("shout"); // the runtime calls the target: no advice in executions
                });
    }

    @Test
    void healthIsUpWithExecutionsByStatusAndTheMostOverdueTimerThenDownWithTheReasonOnceClosed() {
        ManualClock clock = new ManualClock();
        memory.withUserConfiguration(ApprovalFlow.class, Greeter.class, Outbox.class)
                .withBean(ManualClock.class, () -> clock)
                .run(ctx -> {
                    DurableHealthIndicator health = ctx.getBean("durableHealthIndicator", DurableHealthIndicator.class);
                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    runtime.start(ApprovalFlow.class, "a", "Ada");
                    assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();

                    Health up = health.health();
                    assertThat(up.getStatus()).isEqualTo(Status.UP);
                    assertThat(up.getDetails().get("executions")).asString().contains("WAITING=1", "SUCCEEDED=0");
                    assertThat(up.getDetails()).containsEntry("mostOverdueTimer", "PT0S");

                    runtime.close();
                    clock.advance(Duration.ofHours(3)); // the runtime is closed: nobody serves the one-hour timer
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails().get("reason")).asString().contains("closed");
                });
    }

    @Test
    void healthReportsHowLateTheMostOverdueTimerIs() {
        // one handler thread, held by a step: a due timer of another execution waits for it
        ManualClock clock = new ManualClock();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        memory.withPropertyValues("durable.threads=1")
                .withBean(ManualClock.class, () -> clock)
                .run(ctx -> {
                    DurableRuntime runtime = ctx.getBean(DurableRuntime.class);
                    runtime.register("nap", String.class, String.class, (s, c) -> {
                        c.wait("nap", Duration.ofMinutes(10));
                        return s;
                    });
                    runtime.register(
                            "busy",
                            String.class,
                            String.class,
                            (s, c) -> c.step("block", String.class, st -> {
                                entered.countDown();
                                release.await();
                                return s;
                            }));
                    Execution<String> nap = runtime.start("nap", "n", "x");
                    assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
                    runtime.start("busy", "b", "y");
                    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                    clock.advance(Duration.ofMinutes(15));

                    Health h = ctx.getBean(DurableHealthIndicator.class).health();
                    assertThat(h.getStatus()).isEqualTo(Status.UP);
                    assertThat(h.getDetails()).containsEntry("mostOverdueTimer", "PT5M");

                    release.countDown();
                    assertThat(nap.result(Duration.ofSeconds(10))).isEqualTo("x");
                    assertThat(ctx.getBean(DurableHealthIndicator.class)
                                    .health()
                                    .getDetails())
                            .containsEntry("mostOverdueTimer", "PT0S");
                });
    }

    @Test
    void theAdminEndpointIsServedWhenEnabledAndAnnouncedInTheJournalDirectory(@TempDir Path dir) {
        runner.withPropertyValues("durable.directory=" + dir.resolve("admin-journal"), "durable.admin.enabled=true")
                .withUserConfiguration(ApprovalFlow.class, Greeter.class, Outbox.class)
                .run(ctx -> {
                    dev.durable.runtime.local.admin.AdminServer admin =
                            ctx.getBean(dev.durable.runtime.local.admin.AdminServer.class);
                    assertThat(admin.uri().getHost()).isEqualTo("127.0.0.1");
                    dev.durable.runtime.local.admin.DurableClient client =
                            dev.durable.runtime.local.admin.DurableClient.forJournal(dir.resolve("admin-journal"));
                    client.start("approvals", "over-http", "Ada");
                    assertThat(ctx.getBean(DurableRuntime.class).awaitIdle(Duration.ofSeconds(10)))
                            .isTrue();
                    assertThat(client.execution("over-http").info().status()).isEqualTo(ExecutionStatus.WAITING);
                });
        runner.withPropertyValues("durable.directory=" + dir.resolve("quiet-journal"))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(dev.durable.runtime.local.admin.AdminServer.class));
    }
}
