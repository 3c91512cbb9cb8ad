package dev.durable.spring;

import dev.durable.DurableClock;
import dev.durable.DurableRuntime;
import dev.durable.SerDes;
import dev.durable.runtime.local.LocalRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A {@link LocalRuntime} from the {@code durable.*} properties, unless the application defines its own
 * {@link DurableRuntime}; {@code @DurableFunction} beans registered with whichever runtime there is.
 *
 * <p>A {@link DurableClock} bean (a {@code ManualClock} in tests) becomes the runtime's clock, a {@link SerDes}
 * bean its serializer.
 */
@AutoConfiguration
@ConditionalOnClass(LocalRuntime.class)
@EnableConfigurationProperties(DurableProperties.class)
public class DurableAutoConfiguration {
    private volatile LocalRuntime created;

    /** Static: a factory post-processor must not make this configuration class be created early. */
    @Bean
    static DurableFunctionBeanFactoryPostProcessor durableFunctionBeanFactoryPostProcessor() {
        return new DurableFunctionBeanFactoryPostProcessor();
    }

    /** Opened here, while the context refreshes; closed by {@link DurableFunctionRegistrar} (and on destroy). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DurableRuntime.class)
    LocalRuntime durableRuntime(
            DurableProperties properties, ObjectProvider<DurableClock> clock, ObjectProvider<SerDes> serdes) {
        LocalRuntime.Builder b = LocalRuntime.builder()
                .directory(properties.getDirectory())
                .durability(properties.getDurability())
                .retention(properties.getRetention())
                .payloadLimit(properties.getPayloadLimit().toBytes());
        if (properties.getThreads() != null) {
            b.threads(properties.getThreads());
        }
        if (properties.getVirtualThreads() != null) {
            b.virtualThreads(properties.getVirtualThreads());
        }
        clock.ifUnique(b::clock);
        serdes.ifUnique(b::serdes);
        created = b.open();
        return created;
    }

    /** The admin endpoint and web console of the runtime, when {@code durable.admin.enabled=true}. */
    @Bean(destroyMethod = "close")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "${durable.admin.enabled:false} and '${durable.admin.mount:port}' == 'port'")
    dev.durable.runtime.local.admin.AdminServer durableAdminServer(
            DurableRuntime runtime, DurableProperties properties) {
        if (!(runtime instanceof LocalRuntime local)) {
            throw new IllegalStateException(
                    "durable.admin.enabled=true serves the admin endpoint of a LocalRuntime, but"
                            + " the DurableRuntime bean is a "
                            + runtime.getClass().getName() + "; call serveAdmin on your runtime"
                            + " yourself, or remove durable.admin.enabled");
        }
        DurableProperties.Admin a = properties.getAdmin();
        dev.durable.runtime.local.admin.AdminServer.Options options =
                dev.durable.runtime.local.admin.AdminServer.Options.defaults()
                        .host(a.getHost())
                        .port(a.getPort());
        if (a.getToken() != null) {
            options.token(a.getToken());
        }
        return local.serveAdmin(options);
    }

    /** The admin API and console under the application's own port: {@code durable.admin.mount=spring}. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "org.springframework.web.servlet.DispatcherServlet")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
            type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
            "${durable.admin.enabled:false} and '${durable.admin.mount:port}' == 'spring'")
    static class SpringMount {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpringMount.class);

        @Bean
        DurableAdminController durableAdminController(DurableRuntime runtime, DurableProperties properties) {
            if (!(runtime instanceof LocalRuntime local)) {
                throw new IllegalStateException("durable.admin.mount=spring serves the admin API of a LocalRuntime, but"
                        + " the DurableRuntime bean is a " + runtime.getClass().getName());
            }
            DurableProperties.Admin a = properties.getAdmin();
            String token = null;
            if (a.isRequireToken()) {
                token = a.getToken() != null
                        ? a.getToken()
                        : dev.durable.runtime.local.admin.AdminServer.Options.defaults()
                                .token();
                if (a.getToken() == null) {
                    LOG.info(
                            "durable admin console at {}/#token={} (set durable.admin.token to choose the token)",
                            a.getPath(),
                            token);
                }
            }
            return new DurableAdminController(
                    new dev.durable.runtime.local.admin.AdminApi(local, local.payloadLimit()), a.getPath(), token);
        }
    }

    @Bean
    DurableFunctionRegistrar durableFunctionRegistrar(
            DurableRuntime runtime, ConfigurableListableBeanFactory beanFactory) {
        // closes on stop only the runtime made here; one the application defines is closed by its own destroy method
        return new DurableFunctionRegistrar(runtime, beanFactory, runtime == created);
    }
}
