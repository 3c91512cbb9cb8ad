package dev.durable;

import java.time.Instant;

/**
 * A summary of one execution, as listed by {@link DurableRuntime#list}.
 *
 * @param name the execution's name
 * @param function the durable function it runs
 * @param version the version of that function it is pinned to (1 unless the function declares versions)
 * @param status where it stands
 * @param startedAt when it was started
 * @param finishedAt when it ended, or {@code null}
 * @param parent the execution that invoked it, or {@code null}
 */
public record ExecutionInfo(
        String name,
        String function,
        int version,
        ExecutionStatus status,
        Instant startedAt,
        Instant finishedAt,
        String parent) {}
