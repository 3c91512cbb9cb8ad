package dev.durable.spi.weaving;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Links a {@code @DurableFunction} class to its generated proxy. The processor writes one implementation per proxy
 * (a nested {@code Registration} class) and lists it in {@code META-INF/services/dev.durable.spi.weaving.ProxyRegistration}.
 */
public interface ProxyRegistration {
    /** The user's {@code @DurableFunction} class. */
    Class<?> functionClass();

    /** Its generated {@code _Durable} subclass. */
    Class<?> proxyClass();

    /** The generated proxy of {@code functionClass}, looked up through the service registrations of its loader. */
    static Optional<Class<?>> proxyOf(Class<?> functionClass) {
        ClassLoader loader = functionClass.getClassLoader();
        for (ProxyRegistration r : ServiceLoader.load(ProxyRegistration.class, loader)) {
            if (r.functionClass() == functionClass) {
                return Optional.of(r.proxyClass());
            }
        }
        return Optional.empty();
    }
}
