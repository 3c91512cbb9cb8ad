package dev.durable.spi.plugin;

import java.time.Instant;

/**
 * Which execution a hook is about. The name and start time identify it across processes and restarts (a tracer
 * derives its trace id from them).
 *
 * @param name the execution name
 * @param function the function it runs
 * @param startedAt when its start was journaled
 * @param parent the execution that invoked it, or {@code null}
 * @param parentOperationId the invoke operation's id in {@code parent}, or {@code null}
 * @param parentStartedAt when {@code parent} started, or {@code null} if there is none or it is no longer known
 */
public record ExecutionRef(
        String name,
        String function,
        Instant startedAt,
        String parent,
        String parentOperationId,
        Instant parentStartedAt) {}
