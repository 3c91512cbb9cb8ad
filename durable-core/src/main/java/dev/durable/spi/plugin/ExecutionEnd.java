package dev.durable.spi.plugin;

import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import java.time.Instant;

/**
 * An execution's end.
 *
 * @param execution which execution
 * @param status SUCCEEDED, FAILED or CANCELLED
 * @param endedAt when the end was journaled
 * @param error the failure of a failed execution, else {@code null}
 */
public record ExecutionEnd(ExecutionRef execution, ExecutionStatus status, Instant endedAt, ErrorInfo error) {}
