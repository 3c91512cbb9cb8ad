package dev.durable.spi.plugin;

import java.time.Instant;

/**
 * User code about to run: on the thread that runs it.
 *
 * @param execution which execution
 * @param operationId the operation whose code runs
 * @param name the operation's name
 * @param subKind what the operation is
 * @param attempt the step attempt or poll number; for bodies of contexts, branches and items 1 on their first run,
 *     2 when they run again in a later invocation (resuming, or rebuilding their result)
 * @param startedAt now
 * @param replayingChildren true when a body runs again only to rebuild its result from its children's journal
 */
public record AttemptStart(
        ExecutionRef execution,
        String operationId,
        String name,
        OperationKind subKind,
        int attempt,
        Instant startedAt,
        boolean replayingChildren) {}
