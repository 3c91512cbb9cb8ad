package dev.durable.spi.journal;

import dev.durable.JournalException;

/**
 * An {@link RecordType#EXECUTION_STARTED} refused because another process started an execution of that name first.
 * Nothing was written; the engine reads the existing execution and answers the start as for any existing name. Only
 * journals shared by several processes throw it.
 */
public class AlreadyStartedException extends JournalException {
    private static final long serialVersionUID = 1L;

    public AlreadyStartedException(String message) {
        super(message);
    }
}
