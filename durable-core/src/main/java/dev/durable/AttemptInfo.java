package dev.durable;

import java.time.Instant;

/**
 * The outcome of one attempt of a step, or one poll of {@code waitForCondition}, as the journal records it.
 *
 * @param attempt the attempt's number, from 1
 * @param status {@code SUCCEEDED}, {@code FAILED} (for good), {@code RETRY} (failed, another attempt follows) or
 *     {@code STARTED} (begun, outcome not journaled: the process stopped during it)
 * @param at when the outcome was journaled
 * @param error the attempt's failure, or {@code null}
 */
public record AttemptInfo(int attempt, String status, Instant at, ErrorInfo error) {}
