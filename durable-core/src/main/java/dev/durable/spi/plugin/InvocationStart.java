package dev.durable.spi.plugin;

import java.time.Instant;

/**
 * The start of one run of a handler.
 *
 * @param execution which execution
 * @param startedAt when this run began
 * @param firstInvocation true for the run that found no operation in the journal: once per execution
 * @param operationCount how many operations the journal held when the run began
 * @param changedOperations how many of them changed since the last run of this execution in this process (for
 *     example a callback completed from outside); all of them for the first run after the runtime opened
 */
public record InvocationStart(
        ExecutionRef execution,
        Instant startedAt,
        boolean firstInvocation,
        int operationCount,
        int changedOperations) {}
