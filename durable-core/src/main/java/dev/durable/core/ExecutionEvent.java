package dev.durable.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The payload of {@link dev.durable.core.journal.RecordType#EXECUTION_STARTED} and
 * {@link dev.durable.core.journal.RecordType#EXECUTION_FINISHED} records.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExecutionEvent(
        String function,
        String input,
        Instant at,
        String parent,
        String parentOperation,
        ExecutionStatus status,
        String result,
        ErrorInfo error) {

    static ExecutionEvent started(String function, String input, Instant at, String parent, String parentOp) {
        return new ExecutionEvent(function, input, at, parent, parentOp, null, null, null);
    }

    static ExecutionEvent finished(ExecutionStatus status, Instant at, String result, ErrorInfo error) {
        return new ExecutionEvent(null, null, at, null, null, status, result, error);
    }
}
