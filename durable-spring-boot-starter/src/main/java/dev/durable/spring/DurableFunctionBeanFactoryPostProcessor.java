package dev.durable.spring;

import dev.durable.annotations.DurableFunction;
import dev.durable.spi.weaving.DurableProxy;
import dev.durable.spi.weaving.ProxyRegistration;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Optional;
import org.springframework.beans.BeanInstantiationException;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory;
import org.springframework.beans.factory.support.InstantiationStrategy;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Makes {@code @DurableFunction} beans declared by class ({@code @Component} scanning, {@code @Import},
 * {@code registerBean}) durable through their generated {@code X_Durable} proxy.
 *
 * <p>The bean definition keeps the user's class {@code X}, so Spring chooses the constructor and resolves its
 * arguments exactly as for {@code X} ({@code @Autowired} among several constructors, {@code @Qualifier} and
 * {@code @Value} on parameters, which the generated constructors do not repeat). Only the final step, the
 * {@code new}, is changed: the proxy's constructor with the same parameter types is called instead. The proxy is a
 * subclass of {@code X}, so injection points of type {@code X} receive it.
 *
 * <p>With the agent active nothing is changed: the agent makes plain instances durable. A class with durable
 * methods, no generated proxy and no agent fails start-up here, before any bean is created.
 *
 * <p>Beans from {@code @Bean} methods are not changed (the method's body does the {@code new}): such a method
 * returns {@code new X_Durable(...)} itself; {@link DurableFunctionRegistrar} refuses a plain instance.
 */
public class DurableFunctionBeanFactoryPostProcessor implements BeanFactoryPostProcessor, Ordered {
    /** Bean definition attribute holding the generated proxy class to instantiate in place of the bean class. */
    public static final String PROXY_CLASS_ATTRIBUTE =
            DurableFunctionBeanFactoryPostProcessor.class.getName() + ".proxyClass";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
        if (DurableBeans.agentActive()) {
            return;
        }
        boolean any = false;
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition bd = beanFactory.getBeanDefinition(name);
            if (bd.getFactoryMethodName() != null || bd.getBeanClassName() == null) {
                continue;
            }
            Class<?> type;
            try {
                type = ClassUtils.forName(bd.getBeanClassName(), beanFactory.getBeanClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // Spring reports it when it creates the bean
            }
            Class<?> annotated = DurableBeans.durableClass(type);
            if (annotated == null
                    || DurableProxy.class.isAssignableFrom(type)
                    || !DurableBeans.hasDurableMethods(annotated)) {
                continue;
            }
            DurableFunction f = annotated.getAnnotation(DurableFunction.class);
            if (!f.proxy()) {
                throw new DurableBeanException(
                        name,
                        DurableBeans.describe(name, annotated)
                                + " cannot be made durable: it is marked @DurableFunction(proxy = false), so only the agent can"
                                + " make its @Step/@Wait/@Callback methods durable, and the agent is not active.",
                        "To fix it, " + DurableBeans.AGENT_HINT + ".");
            }
            Optional<Class<?>> proxy = type == annotated ? ProxyRegistration.proxyOf(annotated) : Optional.empty();
            if (proxy.isEmpty()) {
                String expected = annotated.getName() + "_Durable";
                throw new DurableBeanException(
                        name,
                        DurableBeans.describe(name, annotated)
                                + " cannot be made durable: its @Step/@Wait/@Callback methods would run without checkpoints."
                                + (type == annotated
                                        ? " No generated proxy " + expected + " is on the class path"
                                        : " Its class " + type.getName()
                                                + " is a subclass of the @DurableFunction class,"
                                                + " which has no generated proxy")
                                + " and the durable agent is not active.",
                        "To fix it, add dev.durable:durable-processor to the maven-compiler-plugin's"
                                + " annotationProcessorPaths so javac generates " + annotated.getSimpleName()
                                + "_Durable"
                                + " (the starter then instantiates it in place of " + annotated.getSimpleName()
                                + "), or " + DurableBeans.AGENT_HINT + ".");
            }
            bd.setAttribute(PROXY_CLASS_ATTRIBUTE, proxy.get());
            any = true;
        }
        if (any
                && beanFactory instanceof AbstractAutowireCapableBeanFactory factory
                && !(factory.getInstantiationStrategy() instanceof ProxyInstantiation)) {
            factory.setInstantiationStrategy(new ProxyInstantiation(factory.getInstantiationStrategy()));
        }
    }

    /** Instantiates the generated proxy for bean definitions marked with {@link #PROXY_CLASS_ATTRIBUTE}. */
    static final class ProxyInstantiation implements InstantiationStrategy {
        private final InstantiationStrategy delegate;

        ProxyInstantiation(InstantiationStrategy delegate) {
            this.delegate = delegate;
        }

        private static Class<?> proxyClass(RootBeanDefinition bd) {
            return bd.getAttribute(PROXY_CLASS_ATTRIBUTE) instanceof Class<?> c ? c : null;
        }

        @Override
        public Object instantiate(RootBeanDefinition bd, String beanName, BeanFactory owner) {
            Class<?> proxy = proxyClass(bd);
            if (proxy == null) {
                return delegate.instantiate(bd, beanName, owner);
            }
            return construct(bd, beanName, proxy, new Class<?>[0], new Object[0]);
        }

        @Override
        public Object instantiate(
                RootBeanDefinition bd, String beanName, BeanFactory owner, Constructor<?> ctor, Object... args) {
            Class<?> proxy = proxyClass(bd);
            if (proxy == null) {
                return delegate.instantiate(bd, beanName, owner, ctor, args);
            }
            return construct(bd, beanName, proxy, ctor.getParameterTypes(), args);
        }

        @Override
        public Object instantiate(
                RootBeanDefinition bd,
                String beanName,
                BeanFactory owner,
                Object factoryBean,
                Method factoryMethod,
                Object... args) {
            return delegate.instantiate(bd, beanName, owner, factoryBean, factoryMethod, args);
        }

        @Override
        public Class<?> getActualBeanClass(RootBeanDefinition bd, String beanName, BeanFactory owner) {
            Class<?> proxy = proxyClass(bd);
            return proxy != null ? proxy : delegate.getActualBeanClass(bd, beanName, owner);
        }

        private static Object construct(
                RootBeanDefinition bd, String beanName, Class<?> proxy, Class<?>[] types, Object[] args) {
            if (bd.hasMethodOverrides()) {
                throw new DurableBeanException(
                        beanName,
                        "Bean '" + beanName + "' (" + bd.getBeanClassName() + ") has"
                                + " lookup or replaced methods, which Spring implements with a subclass of its own; its"
                                + " generated durable proxy " + proxy.getSimpleName() + " cannot be that subclass too.",
                        "Inject an ObjectProvider instead of the @Lookup method, or " + DurableBeans.AGENT_HINT + ".");
            }
            Constructor<?> c;
            try {
                c = proxy.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new BeanInstantiationException(
                        proxy,
                        "the generated proxy has no constructor taking "
                                + java.util.Arrays.toString(types) + " (private constructors are not copied);"
                                + " make the constructor Spring uses at least package-private",
                        e);
            }
            ReflectionUtils.makeAccessible(c);
            return BeanUtils.instantiateClass(c, args);
        }
    }
}
