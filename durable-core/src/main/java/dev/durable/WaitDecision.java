package dev.durable;

import java.time.Duration;

/**
 * What a {@link WaitStrategy} decided after a poll.
 *
 * @param done the condition is met: stop polling and return the state
 * @param delay how long to wait before the next poll, when not done
 * @param failure a reason to give up, or {@code null}
 */
public record WaitDecision(boolean done, Duration delay, String failure) {
    public static WaitDecision stop() {
        return new WaitDecision(true, Duration.ZERO, null);
    }

    public static WaitDecision continueAfter(Duration delay) {
        return new WaitDecision(false, delay, null);
    }

    public static WaitDecision giveUp(String reason) {
        return new WaitDecision(false, Duration.ZERO, reason);
    }
}
