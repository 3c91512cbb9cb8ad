package dev.durable.spi.journal;

import dev.durable.JournalException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A journal in memory: fast, and gone with the process. For tests and throwaway runs. */
public final class MemoryJournal implements Journal {
    private final Map<String, List<JournalRecord>> records = new LinkedHashMap<>();
    private boolean closed;

    /** An empty journal. */
    public MemoryJournal() {}

    @Override
    public synchronized void append(JournalRecord record) {
        if (closed) {
            throw new JournalException("the journal is closed; open the runtime again to continue");
        }
        records.computeIfAbsent(record.executionId(), k -> new ArrayList<>()).add(record);
    }

    @Override
    public synchronized Collection<String> executionIds() {
        return List.copyOf(records.keySet());
    }

    @Override
    public synchronized List<JournalRecord> read(String executionId) {
        List<JournalRecord> list = records.get(executionId);
        return list == null ? List.of() : List.copyOf(list);
    }

    @Override
    public synchronized JournalRecord first(String executionId) {
        List<JournalRecord> list = records.get(executionId);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    @Override
    public synchronized JournalRecord last(String executionId) {
        List<JournalRecord> list = records.get(executionId);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }

    @Override
    public synchronized void forget(Collection<String> executionIds) {
        executionIds.forEach(records::remove);
    }

    /** Every record, in append order per execution; for tests. */
    public synchronized List<JournalRecord> all() {
        List<JournalRecord> all = new ArrayList<>();
        records.values().forEach(all::addAll);
        return all;
    }

    /** Reopens after {@link #close()}, as a process restart on the same data would; for tests. */
    public synchronized void reopen() {
        closed = false;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
