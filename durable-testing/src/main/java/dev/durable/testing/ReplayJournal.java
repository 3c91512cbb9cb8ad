package dev.durable.testing;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.RecordType;
import java.util.Collection;
import java.util.List;

/**
 * The in-memory copy a {@link JournalReplayer} replays one execution on. For an execution the saved journal holds
 * unfinished, it refuses the first operation beyond what was saved: the engine stops the handler there, so the
 * replay never runs on into steps that production had not reached.
 */
final class ReplayJournal implements Journal {
    private final MemoryJournal records = new MemoryJournal();
    private final boolean stopAtEnd;
    private volatile boolean loaded;
    private volatile JournalRecord refused;

    ReplayJournal(boolean stopAtEnd) {
        this.stopAtEnd = stopAtEnd;
    }

    void load(List<JournalRecord> saved) {
        saved.forEach(records::append);
    }

    /** From now on appends come from the replay. */
    void loaded() {
        loaded = true;
    }

    /** The first record the replay wanted to add beyond the saved journal (and was refused), or {@code null}. */
    JournalRecord refused() {
        return refused;
    }

    @Override
    public void append(JournalRecord record) {
        if (loaded && stopAtEnd && record.type() != RecordType.EXECUTION_FINISHED) {
            synchronized (this) {
                if (refused == null) {
                    refused = record;
                }
            }
            throw new JournalException("the journal replayer stops execution '" + record.executionId() + "' here: "
                    + RecordView.of(record) + " goes beyond the saved journal");
        }
        records.append(record);
    }

    @Override
    public Collection<String> executionIds() {
        return records.executionIds();
    }

    @Override
    public List<JournalRecord> read(String executionId) {
        return records.read(executionId);
    }

    @Override
    public void forget(Collection<String> executionIds) {
        records.forget(executionIds);
    }

    @Override
    public void close() {
        records.close();
    }
}
