package dev.durable;

/**
 * The journal could not make a record durable, or could not be opened. Once a write or force has failed the
 * journal is poisoned: every later append fails with this exception, whose cause is the original I/O error.
 * Close the runtime and open it again: everything acknowledged before the failure is recovered.
 */
public class JournalException extends DurableException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
