package dev.durable.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The transformer registered at JVM start, before ByteBuddy is ready. Preparing ByteBuddy takes a few hundred
 * milliseconds, so it happens on a background thread while the application starts; a class that may declare durable
 * methods waits at this gate until the weaver is ready and is then woven, so none is missed and start-up only pays
 * for the part that does not overlap.
 */
final class StartupGate implements ClassFileTransformer {
    private final CompletableFuture<ClassFileTransformer> weaver = new CompletableFuture<>();
    private volatile Thread preparing;

    /** Prepares the weaver on a daemon thread; classes that need it wait until it is ready. */
    void prepareInBackground(Instrumentation instrumentation) {
        // an anonymous class, not a lambda: the first lambda of a JVM costs milliseconds of start-up
        Thread thread = new Thread(
                new Runnable() {
                    @Override
                    public void run() {
                        try {
                            weaver.complete(
                                    Weaving.agentBuilder(instrumentation).makeRaw());
                        } catch (Throwable e) {
                            AgentLog.warnOnce(
                                    "startup",
                                    "the durable agent could not prepare its weaver: @Step, @Wait and"
                                            + " @Callback methods run as plain calls",
                                    e);
                            // so the runtime refuses plain instances again instead of running their steps unjournaled
                            System.clearProperty(DurableAgent.ACTIVE_PROPERTY);
                            weaver.completeExceptionally(e);
                        }
                    }
                },
                "durable-agent-startup");
        thread.setDaemon(true);
        preparing = thread;
        thread.start();
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classFile)
            throws IllegalClassFormatException {
        if (!Candidates.mayDeclareDurableMethods(loader, className, classFile)
                || Thread.currentThread() == preparing) { // the weaver never needs application classes
            return null;
        }
        ClassFileTransformer ready;
        try {
            ready = weaver.join();
        } catch (CompletionException e) {
            AgentLog.warnOnce(
                    "unwoven:" + className + "@" + System.identityHashCode(loader),
                    className.replace('/', '.')
                            + " is not woven because the durable agent failed to start (see the earlier warning)",
                    null);
            return null;
        }
        return ready.transform(module, loader, className, classBeingRedefined, protectionDomain, classFile);
    }
}
