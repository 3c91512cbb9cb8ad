/**
 * For generated code: the entry points that the annotation processor's proxies and the {@code -javaagent} call to
 * make annotated methods durable. Applications never call these directly.
 *
 * <p>A generated {@code Foo_Durable} proxy describes each annotated method once as a {@link
 * dev.durable.spi.weaving.DurableMethod} and routes calls through {@link
 * dev.durable.spi.weaving.DurableMethods#call}; the agent weaves {@link dev.durable.spi.weaving.DurableMethods#enter}
 * and {@code exit} around the original body. Proxies announce themselves as {@link
 * dev.durable.spi.weaving.ProxyRegistration} services so that {@code runtime.register(new Foo())} finds them.
 */
package dev.durable.spi.weaving;
