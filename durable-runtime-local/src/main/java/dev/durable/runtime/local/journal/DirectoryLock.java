package dev.durable.runtime.local.journal;

import dev.durable.core.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a journal directory to one open journal: a {@link FileLock} on {@value #FILE_NAME} against other processes,
 * and a registry against this one (file locks are held per process, so the JVM would not stop a second opener).
 * The holder writes its pid into the file so that a refused opener can say who holds it.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "journal.lock";
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path directory) {
        Path key;
        try {
            key = directory.toRealPath();
        } catch (IOException e) {
            throw new JournalException("cannot resolve the journal directory " + directory + ": " + e.getMessage(), e);
        }
        if (!HELD.add(key)) {
            throw new JournalException("the journal in " + directory + " is already open in this process; close that"
                    + " runtime or journal before opening it again, or use another directory");
        }
        Path file = key.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = JournalStorage.POSIX
                    ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE), JournalStorage.OWNER_ONLY_FILE)
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                throw new JournalException("the journal in " + directory + " is in use by "
                        + (holder.isEmpty() ? "another process" : "process " + holder) + " (it holds " + file
                        + "); only one process may open a journal directory. Stop that process, or use another"
                        + " directory");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            DirectoryLock held = new DirectoryLock(key, channel, lock);
            channel = null;
            return held;
        } catch (IOException e) {
            throw new JournalException("cannot lock the journal directory " + directory + " (" + file + "): "
                    + e.getMessage(), e);
        } finally {
            if (channel != null) {
                HELD.remove(key);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD.remove(key);
        }
    }
}
