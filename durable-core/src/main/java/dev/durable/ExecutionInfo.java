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
 * @param blockedReason why it is {@link ExecutionStatus#BLOCKED}: the operation where its replay diverged, what the
 *     journal holds there, what the code did and where; {@code null} unless blocked
 */
public record ExecutionInfo(
        String name,
        String function,
        int version,
        ExecutionStatus status,
        Instant startedAt,
        Instant finishedAt,
        String parent,
        String blockedReason) {
    /** A summary of an execution that is not blocked. */
    public ExecutionInfo(
            String name,
            String function,
            int version,
            ExecutionStatus status,
            Instant startedAt,
            Instant finishedAt,
            String parent) {
        this(name, function, version, status, startedAt, finishedAt, parent, null);
    }
}
