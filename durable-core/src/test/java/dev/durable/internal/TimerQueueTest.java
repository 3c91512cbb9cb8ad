package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableClock;
import dev.durable.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Many timers on one timer of the clock: each task runs once, in due order, and a cancelled one never runs. */
class TimerQueueTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private final TimerQueue<Runnable> timers = new TimerQueue<>(clock, Runnable::run);
    private final List<String> ran = new ArrayList<>();

    private DurableClock.Timer at(long seconds, String name) {
        return timers.schedule(
                T0.plusSeconds(seconds), () -> ran.add(name + "@" + clock.now().getEpochSecond() % 60));
    }

    @Test
    void manyTimersHoldOneTimerOfTheClockArmedForTheEarliest() {
        at(30, "c");
        at(10, "a");
        at(20, "b");
        assertThat(clock.pendingTimers()).isEqualTo(1);
        assertThat(clock.nextTimer()).isEqualTo(T0.plusSeconds(10));
        assertThat(timers.size()).isEqualTo(3);
    }

    @Test
    void tasksRunInDueOrderEachAtItsTimeAndThoseDueTogetherInTheOrderScheduled() {
        at(20, "b1");
        at(10, "a");
        at(20, "b2");
        at(30, "c");
        clock.advance(Duration.ofSeconds(25));
        assertThat(ran).containsExactly("a@10", "b1@20", "b2@20");
        clock.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("a@10", "b1@20", "b2@20", "c@30");
        assertThat(clock.pendingTimers()).isZero();
        assertThat(timers.size()).isZero();
    }

    @Test
    void cancellingTheEarliestArmsTheClockForTheNext() {
        DurableClock.Timer a = at(10, "a");
        at(20, "b");
        a.cancel();
        assertThat(clock.nextTimer()).isEqualTo(T0.plusSeconds(20));
        a.cancel(); // twice changes nothing
        clock.advance(Duration.ofSeconds(60));
        assertThat(ran).containsExactly("b@20");
    }

    @Test
    void cancellingTheLastLeavesNoTimerOfTheClock() {
        DurableClock.Timer a = at(10, "a");
        a.cancel();
        assertThat(clock.pendingTimers()).isZero();
        assertThat(timers.size()).isZero();
    }

    @Test
    void aTaskDueAlreadyRunsAtOnce() {
        clock.advance(Duration.ofSeconds(5));
        at(1, "late");
        assertThat(ran).containsExactly("late@5");
    }

    @Test
    void aTaskThatFailsDoesNotStopTheOthersDueWithIt() {
        timers.schedule(T0.plusSeconds(10), () -> {
            throw new IllegalStateException("boom");
        });
        at(10, "after");
        clock.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("after@10");
    }

    @Test
    void aTaskMayScheduleAnotherThatIsAlreadyDue() {
        timers.schedule(T0.plusSeconds(10), () -> at(5, "inner"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("inner@10");
    }

    @Test
    void aRandomMixOfTimersAndCancellationsRunsExactlyTheUncancelledOnesInOrder() {
        Random random = new Random(42);
        List<DurableClock.Timer> handles = new ArrayList<>();
        List<Integer> due = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int second = 1 + random.nextInt(500); // none due at once
            due.add(second);
            int n = i;
            handles.add(timers.schedule(T0.plusSeconds(second), () -> ran.add(second + ":" + n)));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            if (i % 3 == 0) {
                handles.get(i).cancel();
            } else {
                expected.add(due.get(i) + ":" + i);
            }
        }
        expected.sort((x, y) -> {
            String[] a = x.split(":"), b = y.split(":");
            int c = Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0]));
            return c != 0 ? c : Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1]));
        });
        clock.advance(Duration.ofSeconds(600));
        assertThat(ran).containsExactlyElementsOf(expected);
        assertThat(timers.size()).isZero();
    }

    @Test
    void clearingDropsEveryTaskAndTheClocksTimer() {
        DurableClock.Timer a = at(10, "a");
        at(20, "b");
        timers.clear();
        assertThat(clock.pendingTimers()).isZero();
        assertThat(timers.size()).isZero();
        a.cancel(); // after clearing, cancelling changes nothing
        at(30, "c");
        clock.advance(Duration.ofSeconds(60));
        assertThat(ran).containsExactly("c@30");
    }

    @Test
    void aTaskMayScheduleAnotherForTheTimeItRanAt() {
        timers.schedule(T0.plusSeconds(10), () -> at(10, "same"));
        clock.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly("same@10");
        assertThat(timers.size()).isZero();
    }

    @Test
    void cancellingTheLatestTwiceLeavesTheOthersDue() {
        at(10, "a");
        DurableClock.Timer b = at(20, "b");
        b.cancel();
        b.cancel();
        assertThat(timers.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(ran).containsExactly("a@10");
    }
}
