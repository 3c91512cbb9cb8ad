package dev.durable.internal;

import java.util.ArrayDeque;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default pool of handler threads: at most {@code limit} handlers run at once, but a handler waiting for the
 * journal to make its record durable does not count, so another one starts meanwhile, up to {@code cap} threads in
 * all. Group commit then carries as many records per force as there are executions with a record to write, not as
 * many as there are threads to run them; and the limit still bounds how much user code runs at once. A handler whose
 * record is durable goes on at once, even if that puts the running count over the limit for a while; no new handler
 * starts until it is under again. Idle threads end after a minute, so a quiet runtime holds none.
 */
final class ElasticPool extends AbstractExecutorService {
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final int limit;
    private final int cap;
    private final ThreadFactory factory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition ended = lock.newCondition();
    private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
    /** Handlers running and not waiting for the journal. */
    private int running;

    private int threads;
    private int idle;
    private boolean shutdown;
    /** The pool's threads, to interrupt at {@link #shutdownNow}. */
    private final java.util.Set<Thread> workers = new java.util.HashSet<>();
    /** Set on a pool thread while it runs a handler: only those count against the limit. */
    private final ThreadLocal<Boolean> runsHandler = new ThreadLocal<>();

    ElasticPool(int limit, int cap, ThreadFactory factory) {
        if (limit < 1 || cap < limit) {
            throw new IllegalArgumentException("limit " + limit + " and cap " + cap);
        }
        this.limit = limit;
        this.cap = cap;
        this.factory = factory;
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException("the handler threads are shut down");
            }
            pending.add(task);
            offerWork();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code wait}, a wait for the journal, without counting the calling handler against the limit meanwhile.
     */
    void waiting(Runnable wait) {
        if (runsHandler.get() == null) {
            wait.run(); // a branch's thread, or a caller's: it holds no place under the limit
            return;
        }
        lock.lock();
        try {
            running--;
            offerWork();
        } finally {
            lock.unlock();
        }
        try {
            wait.run();
        } finally {
            lock.lock();
            try {
                running++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Called holding the lock: wakes an idle thread, or starts one, if a pending handler may start. */
    private void offerWork() {
        if (pending.isEmpty() || running >= limit) {
            return;
        }
        if (idle > 0) {
            work.signal();
        } else if (threads < cap) {
            Thread t = factory.newThread(this::work);
            threads++;
            workers.add(t);
            t.start();
        }
    }

    private void work() {
        lock.lock();
        try {
            while (true) {
                long idleFor = IDLE_NANOS;
                while (pending.isEmpty() || running >= limit) {
                    if (shutdown || idleFor <= 0) {
                        threads--;
                        workers.remove(Thread.currentThread());
                        ended.signalAll();
                        return;
                    }
                    idle++;
                    try {
                        idleFor = work.awaitNanos(idleFor);
                    } catch (InterruptedException e) {
                        idleFor = 0; // shutdownNow: end
                    } finally {
                        idle--;
                    }
                }
                Runnable task = pending.poll();
                running++;
                offerWork(); // more may start: let another thread look
                lock.unlock();
                runsHandler.set(Boolean.TRUE);
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                } finally {
                    runsHandler.remove();
                    Thread.interrupted(); // an interrupt meant for that handler is not the next one's
                    lock.lock();
                    running--;
                }
                offerWork();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public java.util.List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown = true;
            java.util.List<Runnable> left = new java.util.ArrayList<>(pending);
            pending.clear();
            work.signalAll();
            workers.forEach(Thread::interrupt);
            return left;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return shutdown && threads == 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && threads == 0)) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = ended.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
