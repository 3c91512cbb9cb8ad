package dev.durable.spi.journal;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

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

    /** How many records the execution has; 0 if none. Implementations that know it without reading should override. */
    default int count(String executionId) {
        return read(executionId).size();
    }

    /**
     * Visits what opening a runtime needs of every execution, in the order of {@link #executionIds()}: its first and
     * last record and, if the journal {@linkplain #recordsSuspensions() records suspensions}, how many it has.
     * Implementations that can read these in bulk (in file order, say) should override this; the default reads each
     * execution's first and last record.
     */
    default void heads(Consumer<Head> each) {
        boolean counted = recordsSuspensions();
        for (String id : executionIds()) {
            JournalRecord first = first(id);
            if (first != null) {
                each.accept(new Head(id, first, last(id), counted ? count(id) : -1));
            }
        }
    }

    /**
     * The first and last record of one execution and how many it has ({@code -1}: not counted), as {@link #heads}
     * visits them.
     */
    record Head(String executionId, JournalRecord first, JournalRecord last, int count) {}

    /**
     * Whether the engine should journal an {@link RecordType#EXECUTION_SUSPENDED} record each time a run suspends,
     * so that reopening finds suspended executions without replaying them. False by default: a journal that is never
     * reopened (in memory) or keeps schedules of its own (a database) has no use for them.
     */
    default boolean recordsSuspensions() {
        return false;
    }

    /**
     * Has {@code observer} told of each group of records this journal makes durable together, from the thread that
     * committed it. Journals that do not commit in groups ignore it (the default).
     */
    default void observeCommits(CommitObserver observer) {}

    /** Told of each group of records a journal made durable together; must not throw, block or call the journal. */
    @FunctionalInterface
    interface CommitObserver {
        /** {@code records} records of {@code bytes} bytes were made durable in {@code nanos} nanoseconds. */
        void committed(int records, long bytes, long nanos);
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
