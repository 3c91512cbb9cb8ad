package dev.durable.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where handlers and their parallel branches run: a bounded pool of daemon threads runs handlers (idle ones time
 * out, so a quiet runtime holds none) and a cached pool runs branches. Branches never share the handlers' bounded
 * pool: a handler waits for its branches.
 */
final class HandlerThreads {
    private final ExecutorService handlers;
    private final ExecutorService branches;

    HandlerThreads(int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon("durable-runner-"));
        pool.allowCoreThreadTimeOut(true);
        this.handlers = pool;
        this.branches = Executors.newCachedThreadPool(daemon("durable-branch-"));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs a handler. */
    void runHandler(Runnable run) {
        handlers.execute(run);
    }

    /** Runs a parallel branch. */
    void runBranch(Runnable run) {
        branches.execute(run);
    }

    void shutdownNow() {
        handlers.shutdownNow();
        branches.shutdownNow();
    }
}
