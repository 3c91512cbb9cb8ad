package dev.durable.spi.plugin;

import java.time.Instant;

/**
 * An operation beginning in an invocation.
 *
 * @param execution which execution
 * @param id the operation id, e.g. {@code 3} or {@code 2/1}
 * @param parentId the id of the child context, parallel, map, branch or item it runs in; {@code null} at the top
 * @param name the operation's name
 * @param kind its journal type: STEP, WAIT, CALLBACK, CONTEXT, PARALLEL, MAP, BRANCH, INVOKE or WAIT_FOR_CONDITION
 * @param subKind what it is to the user
 * @param status its journaled status (STARTED, RETRY), or {@code null} when it is new
 * @param startedAt when it first began: from the journal when it was there, else now
 * @param attempt the attempt or poll about to run (steps and polls), else 0
 * @param replay whether it began in an earlier invocation (it is resuming)
 */
public record OperationStart(
        ExecutionRef execution,
        String id,
        String parentId,
        String name,
        String kind,
        OperationKind subKind,
        String status,
        Instant startedAt,
        int attempt,
        boolean replay) {}
