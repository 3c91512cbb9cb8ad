package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The file operations the journal needs, in one place so that tests can make any of them fail (write, force,
 * short write, disk full). {@link #DISK} is the real thing; files and directories it creates are owner-only where
 * the file system supports POSIX permissions, and it never follows a symbolic link to a file. A test passes its own through {@link FileJournalOptions#storage}:
 *
 * <pre>{@code
 * JournalStorage failingForce = new JournalStorage() {
 *     public StorageFile open(Path file, boolean create) throws IOException {
 *         StorageFile real = JournalStorage.DISK.open(file, create);
 *         return ...; // delegates to real, but force(...) throws new IOException("Input/output error")
 *     }
 * };
 * LocalRuntime.builder().directory(dir).journalOptions(FileJournalOptions.defaults().storage(failingForce)).open();
 * }</pre>
 */
public interface JournalStorage {
    JournalStorage DISK = new JournalStorage() {};

    /**
     * Opens {@code file} for reading and writing, never following a symbolic link. With {@code create}, the file is
     * new: created owner-only, and the open fails if anything (a file, a link) already has that name, so that the
     * journal never writes into a file someone else put in its place. Callers delete a leftover first.
     */
    default StorageFile open(Path file, boolean create) throws IOException {
        Set<OpenOption> options = create
                ? Set.of(
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW,
                        LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            FileChannel channel =
                    POSIX ? FileChannel.open(file, options, OWNER_ONLY_FILE) : FileChannel.open(file, options);
            return new StorageFile.OfChannel(channel);
        } catch (IOException e) {
            throw explainLink(file, e);
        }
    }

    /** Opens {@code file} for reading only, never following a symbolic link. */
    default StorageFile openReadOnly(Path file) throws IOException {
        try {
            return new StorageFile.OfChannel(
                    FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw explainLink(file, e);
        }
    }

    /** {@code e}, or if {@code file} is a symbolic link (which the opens above refuse), an error that says so. */
    private static IOException explainLink(Path file, IOException e) {
        if (Files.isSymbolicLink(file)) {
            return new IOException(JournalFiles.linkRefused(file).getMessage(), e);
        }
        return e;
    }

    /** Creates {@code dir} and missing parents, owner-only. */
    default void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(dir, OWNER_ONLY_DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Makes the entries of {@code dir} (created, renamed, deleted files) durable. */
    default void forceDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return; // Windows cannot open a directory as a channel; NTFS journals its metadata itself
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Renames atomically, replacing {@code target}. */
    default void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the file system of " + target.getParent() + " cannot rename atomically, which the"
                            + " journal needs to change its files safely; put the journal on a local disk",
                    e);
        }
    }

    default void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    default List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.toList());
        }
    }

    /** Whether the default file system has POSIX permissions, so journal files can be made owner-only. */
    boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
}
