package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the journal checks about its directory before it trusts it: no journal file is a symbolic link (the journal
 * opens every file without following links, so that whoever can write the directory cannot make it overwrite or read
 * another file), and the directory is not writable by everyone.
 *
 * <p>Permissions, as ssh does with its keys: a directory writable by others (without the sticky bit) is refused for
 * writing, since anyone could replace the journal's files; one writable by its group, or by others with the sticky
 * bit, is opened with a warning. The journal creates its directory owner-only, so neither happens unless someone
 * changed it.
 */
final class JournalFiles {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;

    private JournalFiles() {}

    /** Whether the journal uses files of this name (segments, metadata, lock, their temporary files and copies). */
    static boolean isJournalFile(String name) {
        return name.startsWith("segment-")
                || name.startsWith(Manifest.FILE_NAME)
                || name.startsWith(IndexSnapshot.FILE_NAME)
                || name.equals(DirectoryLock.FILE_NAME)
                || name.endsWith(".tmp");
    }

    /** Refuses the journal if any of its files in {@code listing} is a symbolic link. */
    static void refuseLinks(List<Path> listing) {
        for (Path file : listing) {
            if (isJournalFile(file.getFileName().toString()) && Files.isSymbolicLink(file)) {
                throw linkRefused(file);
            }
        }
    }

    static JournalException linkRefused(Path file) {
        String target;
        try {
            target = " (to " + Files.readSymbolicLink(file) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            target = "";
        }
        return new JournalException("the journal file " + file + " is a symbolic link" + target + "; the journal never"
                + " follows links in its directory, so that whoever can write the directory cannot make it overwrite"
                + " another file. If you put it there, replace the link with the file itself (move the target into"
                + " its place); if you did not, someone else could write the journal directory: check it and its"
                + " permissions before opening the journal");
    }

    /** Refuses a file with more than one name: it could be another file, linked into the journal directory. */
    static void refuseHardLinks(Path file) {
        Object links;
        try {
            links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return; // no such attribute on this file system
        }
        if (links instanceof Integer n && n > 1) {
            throw new JournalException("the journal file " + file + " has " + n + " names (hard links); it may be"
                    + " another file linked into the journal directory, which the journal would overwrite. Replace it"
                    + " with a copy (cp " + file.getFileName() + " x && mv x " + file.getFileName() + ") if it is"
                    + " yours, and check who else can write the directory");
        }
    }

    /**
     * Refuses a directory that others may write without the sticky bit, when opening it for writing; warns about one
     * its group may write (or others, with the sticky bit).
     */
    static void checkPermissions(Path directory, boolean writing) {
        int mode;
        try {
            Object value = Files.getAttribute(directory, "unix:mode");
            if (!(value instanceof Integer m)) {
                return;
            }
            mode = m;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return; // no POSIX modes here (Windows): the journal relies on the directory's ACL
        }
        String octal = String.format("%04o", mode & 07777);
        if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
            if (writing) {
                throw new JournalException("the journal directory " + directory + " can be written by every user (mode "
                        + octal + "): anyone could replace the journal's files. Make it owner-only (chmod 700 "
                        + directory + ") and open it again");
            }
            log.warn(
                    "The journal directory {} can be written by every user (mode {}); its files may have been"
                            + " replaced. Make it owner-only: chmod 700 {}",
                    directory,
                    octal,
                    directory);
        } else if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
            log.warn(
                    "The journal directory {} can be written by {} (mode {}); whoever can write it can replace the"
                            + " journal's files. Make it owner-only unless that is intended: chmod 700 {}",
                    directory,
                    (mode & OTHERS_WRITE) != 0 ? "every user (sticky)" : "its group",
                    octal,
                    directory);
        }
    }
}
