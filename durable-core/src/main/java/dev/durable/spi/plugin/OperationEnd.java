package dev.durable.spi.plugin;

import dev.durable.ErrorInfo;
import java.time.Instant;

/**
 * An operation's final outcome, once it is journaled.
 *
 * @param execution which execution
 * @param id the operation id
 * @param parentId the id of the operation it runs in, or {@code null}
 * @param name the operation's name
 * @param kind its journal type
 * @param subKind what it is to the user
 * @param status SUCCEEDED or FAILED
 * @param startedAt when it began, as far as this process knows (from the journal, or when the invocation met it)
 * @param endedAt when its outcome was journaled
 * @param attempt the final attempt or poll (steps and polls), else 0
 * @param result the journaled result as text, or {@code null}
 * @param error the failure, or {@code null}
 */
public record OperationEnd(
        ExecutionRef execution,
        String id,
        String parentId,
        String name,
        String kind,
        OperationKind subKind,
        String status,
        Instant startedAt,
        Instant endedAt,
        int attempt,
        String result,
        ErrorInfo error) {

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }
}
