package dev.durable.spring;

import dev.durable.DurableRuntime;
import dev.durable.annotations.DurableFunction;
import dev.durable.spi.weaving.DurableProxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Registers every {@code @DurableFunction} bean with the {@link DurableRuntime} when the context starts (executions
 * of those functions that were running or waiting resume then) and, for the runtime the starter created, closes it
 * when the context stops: handlers running at that moment finish their current operation (up to 30 s), waiting
 * executions stay in the journal, and all resume when the application starts again.
 *
 * <p>Its phase puts it inside the web server: it starts before the server accepts requests and stops after the
 * server has stopped taking them (graceful shutdown included), and before any bean is destroyed, so steps still
 * find the beans they call.
 */
public class DurableFunctionRegistrar implements SmartLifecycle {
    /** Started before, stopped after, the embedded web server (whose phases are {@code DEFAULT_PHASE - 1024/2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(DurableFunctionRegistrar.class);

    private final DurableRuntime runtime;
    private final ConfigurableListableBeanFactory beanFactory;
    private final boolean closeOnStop;
    private final Map<String, String> functions = new LinkedHashMap<>();
    private volatile boolean running;
    private volatile boolean started;

    public DurableFunctionRegistrar(
            DurableRuntime runtime, ConfigurableListableBeanFactory beanFactory, boolean closeOnStop) {
        this.runtime = runtime;
        this.beanFactory = beanFactory;
        this.closeOnStop = closeOnStop;
    }

    @Override
    public synchronized void start() {
        if (started) {
            return; // a runtime cannot take the same function twice; a stopped one is closed for good
        }
        for (String name : beanFactory.getBeanNamesForAnnotation(DurableFunction.class)) {
            Object bean = beanFactory.getBean(name);
            Object registered = durableInstance(name, bean);
            functions.put(name, runtime.register(registered));
        }
        started = true;
        running = true;
        LOG.info("durable functions registered: {}", functions);
    }

    /** The instance to register: the bean, or the target of a Spring AOP proxy whose target is the generated proxy. */
    private Object durableInstance(String name, Object bean) {
        Object target = bean;
        if (AopUtils.isAopProxy(bean)) {
            Object t = AopProxyUtils.getSingletonTarget(bean);
            if (t instanceof DurableProxy) {
                // an interface-based (JDK) proxy of X_Durable: the engine needs the class, so it runs the target
                LOG.info(
                        "bean '{}' is a Spring AOP proxy; the runtime calls its target {} directly, so advice on the"
                                + " @Handler method does not apply to executions",
                        name,
                        t.getClass().getName());
                return t;
            }
            if (AopUtils.isJdkDynamicProxy(bean)) {
                Class<?> annotated = t != null ? DurableBeans.durableClass(t.getClass()) : null;
                throw new DurableBeanException(
                        name,
                        (annotated != null ? DurableBeans.describe(name, annotated) : "Bean '" + name + "'")
                                + " is an interface-based (JDK) Spring AOP proxy whose target is"
                                + " not a single durable instance, so the runtime cannot find its @Handler.",
                        "Let Spring proxy the class (spring.aop.proxy-target-class=true, the Spring Boot default),"
                                + " or move the advice (@Transactional, @Async, ...) to the beans the steps call.");
            }
            target = t != null ? t : bean;
        }
        Class<?> annotated = DurableBeans.durableClass(target.getClass());
        if (annotated == null
                || bean instanceof DurableProxy
                || DurableBeans.agentActive()
                || !DurableBeans.hasDurableMethods(annotated)) {
            return bean;
        }
        BeanDefinition bd = beanFactory.containsBeanDefinition(name) ? beanFactory.getBeanDefinition(name) : null;
        String proxyName = annotated.getSimpleName() + "_Durable";
        if (AopUtils.isAopProxy(bean)) {
            throw new DurableBeanException(
                    name,
                    DurableBeans.describe(name, annotated) + " is a Spring AOP (CGLIB)"
                            + " proxy of the plain class, so its @Step/@Wait/@Callback methods would run without checkpoints:"
                            + " the generated proxy " + proxyName + " is final and Spring AOP cannot subclass it.",
                    "Move the advice (@Transactional, @Async, @Cacheable, aspects) to the beans the steps call, or "
                            + DurableBeans.AGENT_HINT + ": the agent makes the plain class durable and Spring can"
                            + " proxy that.");
        }
        if (bd != null && bd.getFactoryMethodName() != null) {
            throw new DurableBeanException(
                    name,
                    DurableBeans.describe(name, annotated) + " is created by @Bean method '"
                            + bd.getFactoryMethodName() + "', which returns a plain " + annotated.getSimpleName()
                            + ", so its @Step/@Wait/@Callback methods would run without checkpoints.",
                    "Return new " + proxyName
                            + "(...) from the @Bean method (generated by dev.durable:durable-processor),"
                            + " declare the class as a @Component instead, or " + DurableBeans.AGENT_HINT + ".");
        }
        throw new DurableBeanException(
                name,
                DurableBeans.describe(name, annotated) + " is a plain " + annotated.getSimpleName()
                        + ", so its @Step/@Wait/@Callback methods would run without checkpoints.",
                "Declare it as a @Component (the starter instantiates the generated " + proxyName + "), or "
                        + DurableBeans.AGENT_HINT + ".");
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (closeOnStop) {
            LOG.info("closing the durable runtime: running handlers finish their current operation, waiting"
                    + " executions resume at the next start");
            runtime.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The registered functions: bean name to function name. */
    public Map<String, String> functions() {
        return Collections.unmodifiableMap(functions);
    }
}
