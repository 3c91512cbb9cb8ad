package dev.durable.spi.journal;

import dev.durable.JournalException;

/**
 * An append refused because this process no longer owns the execution: another process claimed it (its lease ran
 * out, or it was let go). Nothing was written. The engine stops the run at once and forgets the execution; it never
 * retries the write. Only journals shared by several processes throw it.
 */
public class LeaseLostException extends JournalException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }
}
