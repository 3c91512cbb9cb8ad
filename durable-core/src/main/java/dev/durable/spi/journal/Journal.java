package dev.durable.spi.journal;

import java.util.Collection;
import java.util.List;

/**
 * Where the engine checkpoints. Implementations: {@link MemoryJournal} for tests; the file journals of
 * {@code durable-runtime-local}; later, shared databases.
 *
 * <p>Contract: {@link #append} returns only once the record is durable (an operation is acknowledged only then).
 * Concurrent appends from many threads are allowed and should share one sync (group commit). After a failed write
 * or sync every later append must fail fast ({@link dev.durable.JournalException}) rather than report success.
 * Records of one execution are returned in append order.
 */
public interface Journal extends AutoCloseable {
    /**
     * Makes {@code record} durable.
     *
     * @throws dev.durable.JournalException if it could not be (the journal is then poisoned)
     */
    void append(JournalRecord record);

    /** The ids of every execution with records, in the order they first appeared. */
    Collection<String> executionIds();

    /** The records of one execution in append order; empty if none. */
    List<JournalRecord> read(String executionId);

    /**
     * The first record of one execution, or {@code null} if it has none. Opening a runtime reads only the first and
     * last record of each execution; implementations that can fetch one record cheaply should override these.
     */
    default JournalRecord first(String executionId) {
        List<JournalRecord> records = read(executionId);
        return records.isEmpty() ? null : records.get(0);
    }

    /** The last record of one execution, or {@code null} if it has none. */
    default JournalRecord last(String executionId) {
        List<JournalRecord> records = read(executionId);
        return records.isEmpty() ? null : records.get(records.size() - 1);
    }

    /**
     * Removes every record of the given (finished) executions, for retention. Implementations may do it lazily,
     * but {@link #read} and {@link #executionIds} must stop returning them.
     */
    void forget(Collection<String> executionIds);

    /** Flushes and releases files and locks. */
    @Override
    void close();
}
