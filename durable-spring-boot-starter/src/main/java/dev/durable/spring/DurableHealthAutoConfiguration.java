package dev.durable.spring;

import dev.durable.DurableRuntime;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code durable} health indicator, when actuator is on the class path ({@code management.health.durable.enabled}). */
@AutoConfiguration(after = DurableAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("durable")
public class DurableHealthAutoConfiguration {
    @Bean
    @ConditionalOnBean(DurableRuntime.class)
    @ConditionalOnMissingBean(name = "durableHealthIndicator")
    DurableHealthIndicator durableHealthIndicator(DurableRuntime runtime) {
        return new DurableHealthIndicator(runtime);
    }
}
