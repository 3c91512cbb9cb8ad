package dev.durable.spi.plugin;

import dev.durable.ErrorInfo;
import java.time.Instant;

/**
 * User code that has run.
 *
 * @param start what {@link DurablePlugin#onAttemptStart} received
 * @param endedAt when it ended (its outcome journaled, where there is one)
 * @param outcome how it ended
 * @param error what it threw, or {@code null}
 */
public record AttemptEnd(AttemptStart start, Instant endedAt, AttemptOutcome outcome, ErrorInfo error) {}
