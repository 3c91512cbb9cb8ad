package dev.durable.internal;

import dev.durable.JournalException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One run of a handler from the top: the journal as it stood when the run began, and where to write. */
final class Invocation {
    final EngineParts parts;
    final ExecutionEntry entry;
    final History history;
    final RegisteredFunction function;
    /** Patch decisions made in this run, by marker id: a patch asked twice answers the same. */
    final Map<String, Boolean> patches = new ConcurrentHashMap<>();

    Invocation(EngineParts parts, ExecutionEntry entry, History history, RegisteredFunction function) {
        this.parts = parts;
        this.entry = entry;
        this.history = history;
        this.function = function;
    }

    String executionName() {
        return entry.name;
    }

    Instant now() {
        return parts.clock().now();
    }

    /** Stops the run if the execution was cancelled or the runtime is closing. */
    void checkActive() {
        String reason = entry.haltReason(parts.scheduler().isClosed());
        if (reason != null) {
            throw new ExecutionHalted(reason, null);
        }
    }

    /** Journals an operation change; returns once it is durable, or halts the run if the journal failed. */
    void journal(String opId, OpEvent event) {
        append(EventCodec.operation(entry.name, opId, event));
    }

    void append(JournalRecord record) {
        try {
            if (!entry.appendWhileOpen(() -> parts.journal().append(record))) {
                throw new ExecutionHalted("execution '" + entry.name + "' has ended (" + entry.status
                        + "); this run stops without journaling more", null);
            }
        } catch (JournalException e) {
            throw new ExecutionHalted("the journal could not acknowledge a record of execution '" + entry.name
                    + "'; the execution stops here and resumes when the runtime is opened again", e);
        }
    }

    ClassLoader classLoader() {
        return function.classLoader();
    }
}
