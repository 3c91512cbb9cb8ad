package dev.durable.agent.bootstrap;

/**
 * The one class woven code calls. It lives on the bootstrap class path, so it is visible from every class loader,
 * and forwards to the handler the agent installs; with no handler, every annotated method is a plain call.
 *
 * <p>Kept tiny and free of dependencies: whatever it names must be on the bootstrap class path too.
 */
public final class Dispatcher {
    static {
        if (Dispatcher.class.getClassLoader() != null) {
            throw new IllegalStateException(
                    Dispatcher.class.getName() + " was loaded by "
                            + Dispatcher.class.getClassLoader()
                            + " instead of the bootstrap class loader: woven code could"
                            + " not reach it from every class loader. Install the agent with -javaagent or DurableAgent.install()");
        }
    }

    /** What the agent plugs in behind the dispatcher. */
    public interface Handler {
        /**
         * Starts a call of the annotated method {@code method} (name and descriptor) declared by {@code owner}.
         *
         * @return null to run the body plainly
         */
        Call enter(Class<?> owner, String method, Object[] args) throws Throwable;
    }

    /** One durable call in progress, as the engine sees it. */
    public interface Call {
        /** True when the outcome is already journaled and the body must not run. */
        boolean skipBody();

        /** When the body was skipped: the value to return, or throws the journaled failure. */
        Object replayed() throws Throwable;

        /** After the body ran: checkpoints its outcome and returns what the method returns, or throws. */
        Object exit(Object returned, Throwable thrown) throws Throwable;
    }

    private static volatile Handler handler;

    private Dispatcher() {}

    /** Installs {@code h} unless a handler is installed already; returns whether it was installed. */
    public static synchronized boolean install(Handler h) {
        if (handler != null) {
            return false;
        }
        handler = h;
        return true;
    }

    /** Whether an agent handler is installed in this JVM. */
    public static boolean installed() {
        return handler != null;
    }

    /** Called by woven code on entry of an annotated method; null means run the body plainly. */
    public static Call enter(Class<?> owner, String method, Object[] args) throws Throwable {
        Handler h = handler;
        return h == null ? null : h.enter(owner, method, args);
    }
}
