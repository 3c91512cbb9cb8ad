package dev.durable;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Wall-clock time; one daemon thread fires timers however many executions wait. */
final class SystemClock implements DurableClock {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "durable-timer");
        t.setDaemon(true);
        return t;
    });

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Timer schedule(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
        ScheduledFuture<?> f = timers.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void shutdown() {
        timers.shutdownNow();
    }
}
