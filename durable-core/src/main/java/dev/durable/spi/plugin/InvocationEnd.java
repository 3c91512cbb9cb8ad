package dev.durable.spi.plugin;

import dev.durable.ErrorInfo;
import java.time.Instant;

/**
 * The end of one run of a handler.
 *
 * @param start what {@link DurablePlugin#onInvocationStart} received for this run
 * @param endedAt when the run ended
 * @param status PENDING (suspended or stopped), SUCCEEDED or FAILED
 * @param suspendedOn what a suspended run waits for (the earliest due, in a batch); {@code null} unless suspended
 * @param error the execution's failure, or why the run stopped; {@code null} for a success or a suspension
 */
public record InvocationEnd(
        InvocationStart start, Instant endedAt, InvocationStatus status, SuspendReason suspendedOn, ErrorInfo error) {}
