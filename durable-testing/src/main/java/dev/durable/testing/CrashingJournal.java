package dev.durable.testing;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import java.util.Collection;
import java.util.List;

/**
 * A journal whose process "dies" once an execution has a chosen number of records: that record is written, every
 * later append fails as on a dead machine, so the handler stops exactly there (also between an at-most-once step's
 * start and its outcome). The kit then restarts the runtime over the journal as it stood.
 */
final class CrashingJournal implements Journal {
    private final Journal delegate;
    private final String execution;
    private final int afterRecord;
    private int count;
    private volatile boolean crashed;

    CrashingJournal(Journal delegate, String execution, int afterRecord) {
        this.delegate = delegate;
        this.execution = execution;
        this.afterRecord = afterRecord;
        this.count = delegate.read(execution).size();
        this.crashed = count >= afterRecord;
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public synchronized void append(JournalRecord record) {
        if (crashed) {
            throw new JournalException("simulated crash: the process died after record " + afterRecord
                    + " of execution '" + execution + "'; nothing after it is written");
        }
        delegate.append(record);
        if (record.executionId().equals(execution) && ++count >= afterRecord) {
            crashed = true;
        }
    }

    @Override
    public Collection<String> executionIds() {
        return delegate.executionIds();
    }

    @Override
    public List<JournalRecord> read(String executionId) {
        return delegate.read(executionId);
    }

    @Override
    public JournalRecord first(String executionId) {
        return delegate.first(executionId);
    }

    @Override
    public JournalRecord last(String executionId) {
        return delegate.last(executionId);
    }

    @Override
    public void forget(Collection<String> executionIds) {
        delegate.forget(executionIds);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
