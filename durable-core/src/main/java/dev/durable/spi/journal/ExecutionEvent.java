package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import java.time.Instant;

/**
 * The payload of {@link dev.durable.spi.journal.RecordType#EXECUTION_STARTED} and
 * {@link dev.durable.spi.journal.RecordType#EXECUTION_FINISHED} records.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionEvent(
        String function,
        String input,
        Instant at,
        String parent,
        String parentOperation,
        ExecutionStatus status,
        String result,
        ErrorInfo error,
        Integer version) {

    public static ExecutionEvent started(String function, String input, Instant at, String parent, String parentOp) {
        return started(function, 1, input, at, parent, parentOp);
    }

    /** The start of an execution of {@code function} pinned to {@code version} (journaled only when not 1). */
    public static ExecutionEvent started(
            String function, int version, String input, Instant at, String parent, String parentOp) {
        return new ExecutionEvent(
                function, input, at, parent, parentOp, null, null, null, version == 1 ? null : version);
    }

    /** The function version the execution is pinned to; 1 for journals written before versions. */
    public int functionVersion() {
        return version == null ? 1 : version;
    }

    public static ExecutionEvent finished(ExecutionStatus status, Instant at, String result, ErrorInfo error) {
        return new ExecutionEvent(null, null, at, null, null, status, result, error, null);
    }
}
