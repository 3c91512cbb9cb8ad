package dev.durable.internal;

import dev.durable.JournalException;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One run of a handler from the top: the journal as it stood when the run began, and where to write. */
final class Invocation {
    final EngineParts parts;
    final ExecutionEntry entry;
    final History history;
    final RegisteredFunction function;
    final Plugins plugins;
    /** Whether any plugin observes this execution: hook information is built only then. */
    final boolean observed;
    /** Each operation's status and time as this run leaves them, for the next run's count of changes; plugins only. */
    volatile RunChanges seen;
    /** Patch decisions made in this run, by marker id: a patch asked twice answers the same. */
    final Map<String, Boolean> patches = new ConcurrentHashMap<>();
    /** Set when this run diverged from the journal: from then on it journals nothing and the execution is blocked. */
    private volatile NonDeterministicExecutionException diverged;
    /** How many records of the execution this run has seen: those it read when it began and those it appended. */
    private final AtomicInteger seenRecords;

    Invocation(EngineParts parts, ExecutionEntry entry, History history, int records, RegisteredFunction function) {
        this.seenRecords = new AtomicInteger(records);
        this.parts = parts;
        this.entry = entry;
        this.history = history;
        this.function = function;
        this.plugins = parts.plugins();
        this.observed = plugins.observed(entry);
    }

    String executionName() {
        return entry.name;
    }

    Instant now() {
        return parts.clock().now();
    }

    /**
     * Notes that this run diverged from the journal and returns {@code e} to throw. User code may catch it, but the
     * run then journals nothing more ({@link #checkActive}, {@link #append}) and the execution ends up blocked.
     */
    <E extends NonDeterministicExecutionException> E diverged(E e) {
        if (diverged == null) {
            diverged = e;
        }
        return e;
    }

    /** Where this run first diverged from the journal, or {@code null}. */
    NonDeterministicExecutionException diverged() {
        return diverged;
    }

    /** Stops the run if it diverged from the journal, the execution was cancelled or the runtime is closing. */
    void checkActive() {
        haltIfDiverged();
        String reason = entry.haltReason(parts.scheduler().isClosed());
        if (reason != null) {
            throw new ExecutionHalted(reason, null);
        }
    }

    /** Journals an operation change; returns once it is durable, or halts the run if the journal failed. */
    void journal(String opId, OpEvent event) {
        append(EventCodec.operation(entry.name, opId, event));
        RunChanges changes = seen;
        if (changes != null && event.status() != OpStatus.HEARTBEAT) {
            changes.add(opId, fingerprint(event.status(), event.at()));
        }
    }

    static long fingerprint(OpStatus status, Instant at) {
        return 31L * at.hashCode() + status.ordinal();
    }

    void append(JournalRecord record) {
        haltIfDiverged();
        try {
            if (!entry.appendWhileOpen(() -> {
                parts.journal().append(record);
                seenRecords.incrementAndGet();
            })) {
                throw new ExecutionHalted(
                        "execution '" + entry.name + "' has ended (" + entry.status
                                + "); this run stops without journaling more",
                        null);
            }
        } catch (JournalException e) {
            throw new ExecutionHalted(
                    "the journal could not acknowledge a record of execution '" + entry.name
                            + "'; the execution stops here and resumes when the runtime is opened again",
                    e);
        }
    }

    private void haltIfDiverged() {
        NonDeterministicExecutionException d = diverged;
        if (d != null) {
            throw new ExecutionHalted(
                    "execution '" + entry.name + "' diverged from its journal; this run journals nothing more", d);
        }
    }

    int seenRecords() {
        return seenRecords.get();
    }

    ClassLoader classLoader() {
        return function.classLoader();
    }
}
