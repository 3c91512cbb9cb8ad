package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The default handler pool: a limit on handlers running, not on handlers waiting for the journal. */
class ElasticPoolTest {
    private static final ThreadFactory DAEMONS = r -> {
        Thread t = new Thread(r, "elastic-test");
        t.setDaemon(true);
        return t;
    };

    private ElasticPool pool;

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void handlersThatDoNotWaitForTheJournalRunAtMostTheLimitAtOnce() throws Exception {
        pool = new ElasticPool(2, 32, DAEMONS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        CountDownLatch twoIn = new CountDownLatch(2);
        CountDownLatch allDone = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                started.incrementAndGet();
                twoIn.countDown();
                await(release);
                allDone.countDown();
            });
        }
        assertThat(twoIn.await(10, TimeUnit.SECONDS)).isTrue();
        // the third would have started by now if the limit let it: the two running hold their places
        assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(started.get()).isEqualTo(2);
        release.countDown();
        assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(started.get()).isEqualTo(5);
    }

    @Test
    void aHandlerWaitingForTheJournalMakesRoomForAnother() throws Exception {
        pool = new ElasticPool(2, 32, DAEMONS);
        CountDownLatch durable = new CountDownLatch(1);
        CountDownLatch allWaiting = new CountDownLatch(10);
        CountDownLatch allDone = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            pool.execute(() -> {
                pool.waiting(() -> {
                    allWaiting.countDown();
                    await(durable);
                });
                allDone.countDown();
            });
        }
        // ten handlers wait for the journal at once under a limit of two: one group commit could carry all ten
        assertThat(allWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        durable.countDown();
        assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void threadsWaitingForTheJournalStopAtTheCap() throws Exception {
        pool = new ElasticPool(1, 3, DAEMONS);
        CountDownLatch durable = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        CountDownLatch threeWaiting = new CountDownLatch(3);
        CountDownLatch allDone = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            pool.execute(() -> {
                pool.waiting(() -> {
                    waiting.incrementAndGet();
                    threeWaiting.countDown();
                    await(durable);
                });
                allDone.countDown();
            });
        }
        assertThat(threeWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(waiting.get()).isEqualTo(3);
        durable.countDown();
        assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.get()).isEqualTo(6);
    }

    @Test
    void aThreadOutsideThePoolWaitsWithoutChangingTheCount() throws Exception {
        pool = new ElasticPool(1, 4, DAEMONS);
        AtomicInteger ran = new AtomicInteger();
        pool.waiting(ran::incrementAndGet); // a caller's thread: it held no place, so it frees none
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        pool.execute(() -> {
            first.countDown();
            await(release);
        });
        pool.execute(second::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.await(50, TimeUnit.MILLISECONDS)).isFalse(); // the limit of one still holds
        release.countDown();
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(1);
    }

    @Test
    void shutdownNowInterruptsRunningHandlersAndRefusesNewOnes() throws Exception {
        pool = new ElasticPool(1, 4, DAEMONS);
        CountDownLatch in = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        pool.execute(() -> {
            in.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
        pool.shutdownNow();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aFailingHandlerLeavesThePoolRunningTheNext() throws Exception {
        pool = new ElasticPool(1, 2, r -> {
            Thread t = DAEMONS.newThread(r);
            t.setUncaughtExceptionHandler((th, e) -> {});
            return t;
        });
        pool.execute(() -> {
            throw new IllegalStateException("boom");
        });
        CountDownLatch next = new CountDownLatch(1);
        pool.execute(next::countDown);
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
