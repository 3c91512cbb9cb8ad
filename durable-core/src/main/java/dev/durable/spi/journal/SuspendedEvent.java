package dev.durable.spi.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The payload of an {@link RecordType#EXECUTION_SUSPENDED} record: a run suspended after seeing {@code records} records
 * of its execution (those it read and those it appended), due again at {@code wakeAt} ({@code null}: only an outside
 * event wakes it) and awaiting the callbacks {@code callbacks}. The record describes the execution only if exactly
 * {@code records} records precede it and none follows: a record appended by anyone else (a callback's completion, an
 * operator's retry) means something happened the run did not see, and the execution must run to find out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SuspendedEvent(Instant wakeAt, List<String> callbacks, int records) {
    public SuspendedEvent {
        callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
    }
}
