package dev.durable.cli;

import dev.durable.ExecutionDetails;
import dev.durable.UnknownExecutionException;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A journal opened read-only by an inspecting command (list, show): nothing in the directory is created or changed,
 * so it works on a copy, a backup or a read-only mount. While it is open the application cannot open the journal
 * (and it is refused while the application has it open), so it reads every acknowledged record and nothing more.
 * Statuses come from the journal, as {@link ExecutionDetails#fromJournal} reads them.
 */
final class InspectedJournal implements AutoCloseable {
    private final Path directory;
    private final FileJournal journal;

    InspectedJournal(Path directory, FileJournal journal) {
        this.directory = directory;
        this.journal = journal;
    }

    Path directory() {
        return directory;
    }

    /** Every execution, in the order they were started. */
    List<ExecutionDetails> executions() {
        List<ExecutionDetails> all = new ArrayList<>();
        for (String name : journal.executionIds()) {
            all.add(JournalHistory.details(name, journal.read(name)));
        }
        all.sort(Comparator.comparing((ExecutionDetails e) -> e.info().startedAt()));
        return all;
    }

    /**
     * One execution.
     *
     * @throws UnknownExecutionException if the journal has none of that name
     */
    ExecutionDetails execution(String name) {
        List<JournalRecord> records = journal.read(name);
        if (records.isEmpty()) {
            throw new UnknownExecutionException("no execution named '" + name + "' exists in the journal at "
                    + directory + "; list executions to see the names (names are case-sensitive)");
        }
        return JournalHistory.details(name, records);
    }

    @Override
    public void close() {
        journal.close();
    }
}
