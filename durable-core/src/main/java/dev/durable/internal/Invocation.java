package dev.durable.internal;

import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.History;
import dev.durable.JournalException;
import dev.durable.spi.journal.OpEvent;


import dev.durable.spi.journal.JournalRecord;
import java.time.Instant;

/** One run of a handler from the top: the journal as it stood when the run began, and where to write. */
final class Invocation {
    final DurableEngine engine;
    final ExecutionEntry entry;
    final History history;
    final RegisteredFunction function;
    /** Patch decisions made in this run, by marker id: a patch asked twice answers the same. */
    final java.util.Map<String, Boolean> patches = new java.util.concurrent.ConcurrentHashMap<>();

    Invocation(DurableEngine engine, ExecutionEntry entry, History history, RegisteredFunction function) {
        this.engine = engine;
        this.entry = entry;
        this.history = history;
        this.function = function;
    }

    String executionName() {
        return entry.name;
    }

    Instant now() {
        return engine.clock.now();
    }

    /** Stops the run if the execution was cancelled or the runtime is closing. */
    void checkActive() {
        String reason = entry.haltReason(engine);
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
            if (!entry.appendWhileOpen(() -> engine.journal.append(record))) {
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
