package dev.durable.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where handlers and their parallel branches run. On Java 24 and later, by default, virtual threads run both. Before
 * Java 24, or when asked, a bounded pool of daemon platform threads runs handlers (idle ones time out, so a quiet
 * runtime holds none) and a cached pool runs branches; a thread factory replaces the daemon threads of both; a given
 * executor runs the handlers instead of the pool. Branches never share the handlers' bounded pool: a handler waits for
 * its branches.
 */
final class HandlerThreads {
    private final Executor handlers;
    /** The handlers' executor when this runtime made it (and so shuts it down); {@code null} when it was given. */
    private final ExecutorService ownHandlers;

    private final ExecutorService branches;
    private final boolean virtual;

    private HandlerThreads(Executor handlers, ExecutorService ownHandlers, ExecutorService branches, boolean virtual) {
        this.handlers = handlers;
        this.ownHandlers = ownHandlers;
        this.branches = branches;
        this.virtual = virtual;
    }

    /**
     * The first Java release whose handlers run on virtual threads unless told otherwise. Before it (JEP 491), a
     * virtual thread blocked inside a {@code synchronized} block, in handler code or a library it calls, holds its
     * carrier: a few of them can stall every handler.
     */
    static final int VIRTUAL_BY_DEFAULT_FROM = 24;

    /**
     * @param threads how many handlers run at once, or {@code null} for the default: {@code defaultThreads} platform
     *     threads, no limit on virtual threads
     * @param factory makes the platform threads, or {@code null} for daemon threads
     * @param executor runs handlers instead of a pool of this runtime's own, or {@code null}
     * @param virtual whether handlers run on virtual threads, or {@code null} for the default: on them from Java
     *     {@value #VIRTUAL_BY_DEFAULT_FROM} unless a thread factory or an executor is given
     */
    static HandlerThreads of(
            Integer threads, int defaultThreads, ThreadFactory factory, Executor executor, Boolean virtual) {
        ThreadFactory virtualThreads =
                onVirtual(virtual, factory, executor, Runtime.version().feature()) ? virtualThreadFactory() : null;
        if (virtualThreads != null && (factory != null || executor != null)) {
            throw new IllegalStateException("virtualThreads(true) chooses the threads itself; leave out "
                    + (executor != null ? "executor(...)" : "threadFactory(...)") + ", or virtualThreads");
        }
        if (executor != null && threads != null) {
            throw new IllegalStateException("with executor(...) the executor's size limits the handlers running"
                    + " at once; leave out threads(" + threads + ") or the executor");
        }
        if (virtualThreads != null) {
            ExecutorService handlers = threads == null ? threadPerTask(virtualThreads) : pool(threads, virtualThreads);
            return new HandlerThreads(handlers, handlers, threadPerTask(virtualThreads), true);
        }
        ExecutorService branches = Executors.newCachedThreadPool(factory != null ? factory : daemon("durable-branch-"));
        if (executor != null) {
            return new HandlerThreads(executor, null, branches, false);
        }
        ExecutorService handlers =
                pool(threads != null ? threads : defaultThreads, factory != null ? factory : daemon("durable-runner-"));
        return new HandlerThreads(handlers, handlers, branches, false);
    }

    /**
     * Whether handlers run on virtual threads on Java {@code feature}: as asked, or by default from Java {@value
     * #VIRTUAL_BY_DEFAULT_FROM} when neither a thread factory nor an executor is given.
     */
    static boolean onVirtual(Boolean virtual, ThreadFactory factory, Executor executor, int feature) {
        if (virtual != null) {
            return virtual;
        }
        return feature >= VIRTUAL_BY_DEFAULT_FROM && factory == null && executor == null;
    }

    private static ExecutorService pool(int threads, ThreadFactory factory) {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A factory of virtual threads named {@code durable-virtual-<n>}.
     *
     * @throws UnsupportedOperationException before Java 21, which has no virtual threads
     */
    static ThreadFactory virtualThreadFactory() {
        int feature = Runtime.version().feature();
        if (feature < 21) {
            throw new UnsupportedOperationException("virtual threads need Java 21 or later, but this JVM is Java "
                    + Runtime.version() + "; run on Java 21+ or leave virtualThreads off (handlers then run on a"
                    + " bounded pool of platform threads, see threads(int))");
        }
        try {
            // reached reflectively: the code is compiled for Java 17, which has no Thread.ofVirtual
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object b = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual))
                    .invoke();
            b = lookup.findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class))
                    .invoke(b, "durable-virtual-", 1L);
            return (ThreadFactory) lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))
                    .invoke(b);
        } catch (Throwable e) {
            throw new UnsupportedOperationException(
                    "this Java " + Runtime.version() + " runtime does not offer virtual" + " threads (" + e
                            + "); leave virtualThreads off",
                    e);
        }
    }

    private static ExecutorService threadPerTask(ThreadFactory factory) {
        try {
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(
                            Executors.class,
                            "newThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class, ThreadFactory.class))
                    .invoke(factory);
        } catch (Throwable e) {
            throw new UnsupportedOperationException(
                    "this Java " + Runtime.version() + " runtime cannot start a thread" + " per task (" + e
                            + "); leave virtualThreads off",
                    e);
        }
    }

    /** Runs a handler. */
    void runHandler(Runnable run) {
        handlers.execute(run);
    }

    /** Runs a parallel branch. */
    void runBranch(Runnable run) {
        branches.execute(run);
    }

    /**
     * Whether a batch without a limit of its own runs at most {@code ParallelConfig.DEFAULT_MAX_CONCURRENCY}
     * branches at once: on platform threads, where each running branch holds a thread; not on virtual threads.
     */
    boolean capsBranches() {
        return !virtual;
    }

    /** Stops the threads this runtime made; a given executor is its owner's to shut down. */
    void shutdownNow() {
        if (ownHandlers != null) {
            ownHandlers.shutdownNow();
        }
        branches.shutdownNow();
    }
}
