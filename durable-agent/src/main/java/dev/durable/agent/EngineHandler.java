package dev.durable.agent;

import dev.durable.agent.bootstrap.Dispatcher;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Behind the bootstrap {@link Dispatcher}: turns a woven method's entry into a call of the engine in the durable-core
 * that the method's own class loader sees. Outside an execution it answers null before any lookup, so an annotated
 * method costs a plain call there.
 */
final class EngineHandler implements Dispatcher.Handler {
    private final ClassValue<WovenClass> woven = new ClassValue<>() {
        @Override
        protected WovenClass computeValue(Class<?> owner) {
            return new WovenClass(owner);
        }
    };

    @Override
    public Dispatcher.Call enter(Class<?> owner, String method, Object[] args) throws Throwable {
        return woven.get(owner).enter(method, args);
    }

    /** One woven class: the core it reaches and the engine's descriptor of each annotated method, made on first use. */
    private static final class WovenClass {
        private final Class<?> owner;
        private final CoreBridge core;
        private final ConcurrentMap<String, Object> descriptors = new ConcurrentHashMap<>();

        WovenClass(Class<?> owner) {
            this.owner = owner;
            this.core = CoreBridge.visibleFrom(owner.getClassLoader());
            if (core == null) {
                AgentLog.warnOnce(
                        "no-core:" + owner.getClassLoader(),
                        owner.getName() + " has @Step, @Wait or @Callback"
                                + " methods but its class loader " + owner.getClassLoader() + " cannot see "
                                + CoreBridge.DURABLE_METHODS
                                + ": they run as plain calls. Put durable-core on that class path.",
                        null);
            }
        }

        Dispatcher.Call enter(String method, Object[] args) throws Throwable {
            if (core == null || !core.isIntercepting()) {
                return null;
            }
            Object call = core.enter(descriptor(method), args);
            return call == null ? null : new EngineCall(core, call);
        }

        private Object descriptor(String method) throws Throwable {
            Object descriptor = descriptors.get(method);
            if (descriptor == null) {
                descriptor = core.describe(declaredMethod(method));
                Object earlier = descriptors.putIfAbsent(method, descriptor);
                if (earlier != null) {
                    descriptor = earlier;
                }
            }
            return descriptor;
        }

        /** The declared method whose name followed by its descriptor is {@code nameAndDescriptor}. */
        private Method declaredMethod(String nameAndDescriptor) {
            for (Method m : owner.getDeclaredMethods()) {
                if (nameAndDescriptor.startsWith(m.getName())
                        && nameAndDescriptor.equals(m.getName()
                                + MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                                        .toMethodDescriptorString())) {
                    return m;
                }
            }
            throw new IllegalStateException("the woven method " + owner.getName() + "." + nameAndDescriptor
                    + " is not declared by the loaded class");
        }
    }

    /** A core {@code MethodCall} seen through the dispatcher's interface. */
    private static final class EngineCall implements Dispatcher.Call {
        private final CoreBridge core;
        private final Object call;
        private final boolean skipBody;

        EngineCall(CoreBridge core, Object call) throws Throwable {
            this.core = core;
            this.call = call;
            this.skipBody = core.skipBody(call);
        }

        @Override
        public boolean skipBody() {
            return skipBody;
        }

        @Override
        public Object replayed() throws Throwable {
            return core.replayed(call);
        }

        @Override
        public Object exit(Object returned, Throwable thrown) throws Throwable {
            return core.exit(call, returned, thrown);
        }
    }
}
