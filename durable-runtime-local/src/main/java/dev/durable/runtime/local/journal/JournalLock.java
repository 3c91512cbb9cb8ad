package dev.durable.runtime.local.journal;

import dev.durable.core.JournalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>The check takes the directory lock for an instant if it is free (so a process opening the journal at that very
 * moment may be refused once). It never opens the lock file while this process holds it: on POSIX systems closing any
 * descriptor of a file drops every lock the process has on it.
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
        Path file = dir.resolve(DirectoryLock.FILE_NAME);
        if (!Files.isDirectory(dir) || !Files.exists(file)) {
            return Optional.empty();
        }
        try (DirectoryLock free = DirectoryLock.acquire(dir)) {
            return Optional.empty();
        } catch (JournalException refused) {
            if (refused.getCause() != null) {
                throw refused; // an I/O error, not a holder
            }
            if (refused.getMessage().contains("already open in this process")) {
                return Optional.of(new Holder(ProcessHandle.current().pid(), true, file));
            }
            return Optional.of(new Holder(readPid(file), false, file));
        }
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
