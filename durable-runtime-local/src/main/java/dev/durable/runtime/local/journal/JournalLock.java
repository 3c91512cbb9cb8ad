package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells who holds a journal directory, for tools that must not open a journal another process is using.
 *
 * <pre>{@code
 * JournalLock.holder(Path.of(".durable")).ifPresent(h ->
 *         System.err.println("in use by process " + h.pid()));
 * }</pre>
 *
 * <p>The check writes nothing: it opens the lock file read-only and takes a shared lock on it for an instant if it is
 * free (so a process opening the journal at that very moment may be refused once, saying a read-only inspection is
 * reading it). It never opens the lock file while this process has the directory open: on POSIX systems closing any
 * descriptor of a file drops every lock the process has on it. Read-only inspections ({@link
 * FileJournal#openReadOnly}) do not count as holders.
 */
public final class JournalLock {
    private JournalLock() {}

    /**
     * Who holds the lock of a journal directory.
     *
     * @param pid the holder's process id as it wrote it into the lock file, or {@code -1} if unknown
     * @param thisProcess whether the holder is the calling JVM (a runtime or journal open in this process)
     * @param lockFile the lock file
     */
    public record Holder(long pid, boolean thisProcess, Path lockFile) {}

    /**
     * The holder of {@code directory}'s lock, or empty if no process holds it (or there is no journal there).
     *
     * @throws JournalException if the directory or its lock file cannot be read
     */
    public static Optional<Holder> holder(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return DirectoryLock.holder(dir);
    }
}
