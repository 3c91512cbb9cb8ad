package dev.durable.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** What a developer sees when SpringApplication.run fails on a bean that cannot be made durable. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(AgentOnlyFlow.class)
    static class App {}

    @Test
    void theFailureAnalyzerReportsWhatWhichBeanAndWhatToDo(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class)
                        .web(WebApplicationType.NONE)
                        .properties("durable.durability=memory", "spring.main.banner-mode=off")
                        .run())
                .isInstanceOf(DurableBeanException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains(
                        "Bean 'dev.durable.spring.AgentOnlyFlow' (dev.durable.spring.AgentOnlyFlow, @DurableFunction 'agent-only') cannot be made durable")
                .contains("Action:")
                .contains("-javaagent:durable-agent.jar");
    }
}
