package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a journal directory to one open journal: a {@link FileLock} on {@value #FILE_NAME} against other processes,
 * and a registry against this one (file locks are held per process, so the JVM would not stop a second opener).
 *
 * <p><b>One directory, many paths.</b> The registry knows a directory by its file identity (device and inode), not by
 * its path: the same directory reached through a symbolic link, a bind mount or after a rename is the same journal.
 * It is checked before the lock file is opened, so that this process never opens a second descriptor on a lock file
 * it holds: on POSIX systems closing any descriptor of a file drops every lock the process has on it.
 *
 * <p><b>The holder's pid.</b> The writer holds bytes {@code [0, 2^62)} of the file exclusively and writes its pid
 * into it. It takes the lock and writes the pid while holding a second lock, the gate (the byte at {@code 2^62}); a
 * refused opener takes the gate before it reads the pid, so it never reads a half-written or a previous holder's pid.
 *
 * <p><b>Readers.</b> A read-only open ({@link #acquireShared}) holds bytes {@code [0, 2^62)} shared: any number of
 * readers, no writer, and it writes nothing (the lock file is opened read-only and never created).
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "journal.lock";
    private static final long RANGE = 1L << 62;
    private static final long GATE = RANGE;
    /** How long an opener waits for another to finish writing its pid; far longer than that takes. */
    private static final long GATE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Directory identity to the path it was opened by; every change and every lock file open under its monitor. */
    private static final Map<Object, Path> HELD = new HashMap<>();
    /**
     * Channels that must stay open: found locked by this very process under a key the registry did not know
     * (possible only where the file system has no file keys). Closing them would drop this process's lock.
     */
    private static final List<FileChannel> KEPT_OPEN = new ArrayList<>();

    private final Object key;
    private final FileChannel channel; // null for a reader of a journal without a lock file
    private final FileLock lock;

    private DirectoryLock(Object key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory for writing: refused if any process, this one included, has it open. */
    static DirectoryLock acquire(Path directory) {
        return acquire(directory, false);
    }

    /**
     * Takes the directory for reading: refused if a process has it open for writing or this process has it open at
     * all; other readers are fine. Creates and writes nothing; a directory without a lock file (a copy) is read
     * unlocked.
     */
    static DirectoryLock acquireShared(Path directory) {
        return acquire(directory, true);
    }

    private static DirectoryLock acquire(Path directory, boolean shared) {
        Object key = identity(directory);
        Path file = directory.resolve(FILE_NAME);
        synchronized (HELD) {
            Path other = HELD.get(key);
            if (other != null) {
                throw new JournalException("the journal in " + directory + " is already open in this process"
                        + (other.equals(directory) ? "" : " (as " + other + ", the same directory)") + "; close that"
                        + " runtime or journal before opening it again, or use another directory");
            }
            if (shared && !lockFileExists(file)) {
                HELD.put(key, directory);
                return new DirectoryLock(key, null, null);
            }
            checkLockFile(file);
            FileChannel channel = null;
            try {
                channel = openLockFile(file, shared);
                FileLock gate = gate(channel, shared);
                try {
                    FileLock lock;
                    try {
                        lock = channel.tryLock(0, RANGE, shared);
                    } catch (OverlappingFileLockException e) {
                        KEPT_OPEN.add(channel); // this process holds it by a path the registry did not recognise
                        channel = null;
                        throw new JournalException("the journal in " + directory + " is already open in this process"
                                + " (by another path to the same directory); close that runtime or journal before"
                                + " opening it again");
                    }
                    if (lock == null) {
                        throw new JournalException("the journal in " + directory + " is " + describeHolder(channel)
                                + " (it holds " + file + "); only one process may open a journal directory. Stop"
                                + " that process, or use another directory");
                    }
                    if (!shared) {
                        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap(pid), 0);
                    }
                    HELD.put(key, directory);
                    DirectoryLock held = new DirectoryLock(key, channel, lock);
                    channel = null;
                    return held;
                } finally {
                    if (gate != null && gate.isValid()) {
                        gate.release();
                    }
                }
            } catch (IOException e) {
                throw new JournalException(
                        "cannot lock the journal directory " + directory + " (" + file + "): "
                                + e + "; check that the directory and the file can be " + (shared ? "read" : "written")
                                + " by this user",
                        e);
            } finally {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Who holds {@code directory}: empty if no process holds it for writing (readers do not count). Opens the lock
     * file read-only, writes nothing, and never opens it while this process has the directory open.
     *
     * @return the holder's pid ({@code -1} if unknown) and whether it is this process
     */
    static java.util.Optional<JournalLock.Holder> holder(Path directory) {
        Object key = identity(directory);
        Path file = directory.resolve(FILE_NAME);
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return java.util.Optional.of(
                        new JournalLock.Holder(ProcessHandle.current().pid(), true, file));
            }
            if (!lockFileExists(file)) {
                return java.util.Optional.empty();
            }
            checkLockFile(file);
            FileChannel channel = null;
            try {
                channel = openLockFile(file, true);
                FileLock gate = gate(channel, true);
                try {
                    FileLock probe = channel.tryLock(0, RANGE, true);
                    if (probe != null) {
                        probe.release();
                        return java.util.Optional.empty();
                    }
                    return java.util.Optional.of(new JournalLock.Holder(readPid(channel), false, file));
                } finally {
                    if (gate != null) {
                        gate.release();
                    }
                }
            } catch (OverlappingFileLockException e) {
                KEPT_OPEN.add(channel);
                channel = null;
                return java.util.Optional.of(
                        new JournalLock.Holder(ProcessHandle.current().pid(), true, file));
            } catch (IOException e) {
                throw new JournalException("cannot read the lock file " + file + ": " + e, e);
            } finally {
                closeQuietly(channel);
            }
        }
    }

    /** The directory's file identity (device and inode), or its real path where the file system has none. */
    static Object identity(Path directory) {
        try {
            Object key =
                    Files.readAttributes(directory, BasicFileAttributes.class).fileKey();
            return key != null ? key : directory.toRealPath();
        } catch (IOException e) {
            throw new JournalException("cannot resolve the journal directory " + directory + ": " + e, e);
        }
    }

    private static boolean lockFileExists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Refuses a lock file that is a link or not a file, before anything opens it. */
    private static void checkLockFile(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // created on open
        } catch (IOException e) {
            throw new JournalException("cannot read the lock file " + file + ": " + e, e);
        }
        if (attributes.isSymbolicLink()) {
            throw JournalFiles.linkRefused(file);
        }
        if (!attributes.isRegularFile()) {
            throw new JournalException("the lock file " + file + " is not a regular file ("
                    + (attributes.isDirectory() ? "it is a directory" : "it is a special file") + "); the journal keeps"
                    + " its lock there. Move it out of the journal directory and open the journal again");
        }
        JournalFiles.refuseHardLinks(file);
    }

    private static FileChannel openLockFile(Path file, boolean readOnly) throws IOException {
        if (readOnly) {
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        Set<OpenOption> options = Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        return JournalStorage.POSIX
                ? FileChannel.open(file, options, JournalStorage.OWNER_ONLY_FILE)
                : FileChannel.open(file, options);
    }

    /**
     * The gate, waiting while another opener holds it (it does only while it takes the lock and writes its pid), or
     * {@code null} if it stays taken for longer (a holder that never releases it: proceed without).
     */
    private static FileLock gate(FileChannel channel, boolean shared) throws IOException {
        long deadline = System.nanoTime() + GATE_WAIT_NANOS;
        while (true) {
            FileLock gate = channel.tryLock(GATE, 1, shared);
            if (gate != null || System.nanoTime() - deadline > 0) {
                return gate;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Called holding the gate, with the lock held by others: {@code in use by process 42}, or who reads it. */
    private static String describeHolder(FileChannel channel) throws IOException {
        FileLock readers = channel.tryLock(0, RANGE, true);
        if (readers != null) {
            readers.release();
            return "being read by another process (a read-only inspection, such as durable list, show or verify);"
                    + " try again once it is done";
        }
        long pid = readPid(channel);
        return "in use by " + (pid < 0 ? "another process (its pid is not in the lock file)" : "process " + pid);
    }

    private static long readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return Long.parseLong(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                if (channel != null) {
                    lock.release();
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing the channel releases the lock in any case
            } finally {
                HELD.remove(key); // only after the descriptor is closed: a new opener then opens its own
            }
        }
    }
}
