package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durable.JournalException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenerInTheSameProcessIsRefused() {
        try (FileJournal first = FileJournal.open(dir)) {
            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("already open in this process");
        }
        FileJournal.open(dir).close(); // released on close
    }

    @Test
    void theSameDirectoryByAnotherPathIsStillOneJournal() {
        try (FileJournal first = FileJournal.open(dir)) {
            assertThatThrownBy(() -> FileJournal.open(dir.resolve("sub").resolve("..")))
                    .isInstanceOf(JournalException.class);
        }
    }

    @Test
    void aFailedOpenReleasesTheLock() throws Exception {
        java.nio.file.Files.write(dir.resolve(Segment.fileName(1)), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> FileJournal.open(dir)).isInstanceOf(JournalException.class);
        java.nio.file.Files.delete(dir.resolve(Segment.fileName(1)));
        FileJournal.open(dir).close();
        assertThat(dir.resolve(DirectoryLock.FILE_NAME)).exists();
    }

    @Test
    void aLockFileThatCannotBeOpenedIsReportedAndDoesNotKeepTheDirectoryHeld() throws Exception {
        Path lock = java.nio.file.Files.createDirectory(dir.resolve(DirectoryLock.FILE_NAME));

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(lock.toString())
                .hasMessageContaining("not a regular file (it is a directory)")
                .hasMessageNotContaining("already open in this process");

        java.nio.file.Files.delete(lock);
        FileJournal.open(dir).close(); // the failed open left nothing registered
        assertThat(dir.resolve(DirectoryLock.FILE_NAME)).isRegularFile();
    }

    @Test
    void theHolderIsThisProcessWhileItHasTheJournalOpenAndNobodyAfterwards() throws Exception {
        Path lockFile = dir.toAbsolutePath().normalize().resolve(DirectoryLock.FILE_NAME);
        assertThat(JournalLock.holder(dir)).as("no journal yet").isEmpty();
        assertThat(JournalLock.holder(dir.resolve("not-there"))).isEmpty();
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(JournalLock.holder(dir))
                    .contains(new JournalLock.Holder(ProcessHandle.current().pid(), true, lockFile));
            assertThat(java.nio.file.Files.readString(lockFile))
                    .isEqualTo(ProcessHandle.current().pid() + "\n");
        }
        assertThat(JournalLock.holder(dir)).as("closed").isEmpty();
        try (FileJournal reading = FileJournal.openReadOnly(dir)) {
            assertThat(JournalLock.holder(dir))
                    .as("this process reading it")
                    .hasValueSatisfying(h -> assertThat(h.thisProcess()).isTrue());
        }
        assertThat(JournalLock.holder(dir)).isEmpty();
    }

    @Test
    void openingByAnotherPathNamesThePathItIsOpenAs() throws Exception {
        Path journal = java.nio.file.Files.createDirectory(dir.resolve("journal"));
        Path other = java.nio.file.Files.createSymbolicLink(dir.resolve("link"), journal);
        try (FileJournal first = FileJournal.open(journal)) {
            assertThatThrownBy(() -> FileJournal.open(other))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("is already open in this process (as "
                            + journal.toAbsolutePath().normalize() + ", the same directory)");
            assertThatThrownBy(() -> FileJournal.open(journal))
                    .hasMessage("the journal in " + journal.toAbsolutePath().normalize()
                            + " is already open in this process;"
                            + " close that runtime or journal before opening it again, or use another directory");
        }
    }

    @Test
    void aDirectoryRenamedWhileOpenIsStillKnownAsTheJournalOpenedUnderItsOldName() throws Exception {
        Path before = java.nio.file.Files.createDirectory(dir.resolve("before"));
        Path after = dir.resolve("after");
        try (FileJournal first = FileJournal.open(before)) {
            java.nio.file.Files.move(before, after);

            assertThatThrownBy(() -> FileJournal.open(after))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("is already open in this process (as "
                            + before.toAbsolutePath().normalize() + ", the same directory)");
        }
        FileJournal.open(after).close();
    }

    @Test
    void aReadOnlyOpenAndAWriterInTheSameProcessExcludeEachOther() {
        try (FileJournal writer = FileJournal.open(dir)) {
            writer.append(FileJournalTest.record("a", "1", "x"));
            assertThatThrownBy(() -> FileJournal.openReadOnly(dir))
                    .hasMessageContaining("already open in this process");
        }
        try (FileJournal reader = FileJournal.openReadOnly(dir)) {
            assertThat(reader.read("a")).hasSize(1);
            assertThatThrownBy(() -> FileJournal.openReadOnly(dir))
                    .hasMessageContaining("already open in this process");
            assertThatThrownBy(() -> FileJournal.open(dir)).hasMessageContaining("already open in this process");
        }
        FileJournal.open(dir).close();
    }

    @Test
    void aLockFileWithASecondNameIsRefusedNamingBoth() throws Exception {
        FileJournal.open(dir).close();
        Path lock = dir.resolve(DirectoryLock.FILE_NAME);
        java.nio.file.Files.createLink(dir.resolve("second-name"), lock);
        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(
                        "the journal file " + dir.toAbsolutePath().normalize().resolve(DirectoryLock.FILE_NAME)
                                + " has 2 names (hard links)");
        assertThatThrownBy(() -> JournalLock.holder(dir)).hasMessageContaining("has 2 names");
    }

    @Test
    void aReadOnlyOpenOfAMissingDirectoryIsRefusedNamingIt() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> FileJournal.openReadOnly(missing))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("there is no journal directory at " + missing);
        assertThat(missing).doesNotExist();
    }

    @Test
    void aLockFileThatIsASocketIsRefusedAsASpecialFile() throws Exception {
        Path lock = dir.resolve(DirectoryLock.FILE_NAME);
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(lock));

            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessage(
                            "the lock file " + dir.toAbsolutePath().normalize().resolve(DirectoryLock.FILE_NAME)
                                    + " is not a regular file (it is a special file); the journal keeps its lock there. Move"
                                    + " it out of the journal directory and open the journal again");
        }
    }

    @Test
    void aJournalAnotherProcessHoldsIsRefusedNamingItsPidAndTheLockFile() throws Exception {
        assumeTrue(ForeignLockHolder.available(), "needs python3 to hold the lock from another process");
        FileJournal.open(dir).close();
        Path lockFile = dir.toAbsolutePath().normalize().resolve(DirectoryLock.FILE_NAME);
        try (ForeignLockHolder other = ForeignLockHolder.hold(dir, ForeignLockHolder.Kind.WRITER)) {
            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessage("the journal in " + dir.toAbsolutePath().normalize() + " is in use by process "
                            + other.pid() + " (it holds " + lockFile + "); only one process may open a journal"
                            + " directory. Stop that process, or use another directory");
            assertThatThrownBy(() -> FileJournal.openReadOnly(dir))
                    .hasMessageContaining("is in use by process " + other.pid());
            assertThat(JournalLock.holder(dir)).contains(new JournalLock.Holder(other.pid(), false, lockFile));
            if (OpenFiles.canTell()) {
                assertThat(OpenFiles.under(dir))
                        .as("the refused opens left no file open")
                        .isEmpty();
            }
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(JournalLock.holder(dir))
                    .hasValueSatisfying(h -> assertThat(h.thisProcess()).isTrue());
        }
    }

    @Test
    void aHolderThatWroteNoPidIsReportedAsAnotherProcessOfUnknownPid() throws Exception {
        assumeTrue(ForeignLockHolder.available(), "needs python3 to hold the lock from another process");
        Path lockFile = dir.toAbsolutePath().normalize().resolve(DirectoryLock.FILE_NAME);
        try (ForeignLockHolder other = ForeignLockHolder.hold(dir, ForeignLockHolder.Kind.WRITER_WITHOUT_PID)) {
            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("is in use by another process (its pid is not in the lock file) (it holds "
                            + lockFile + ")");
            assertThat(JournalLock.holder(dir)).contains(new JournalLock.Holder(-1, false, lockFile));
        }
    }

    @Test
    void aJournalAnotherProcessIsReadingIsRefusedToAWriterButNotToAReaderAndHasNoHolder() throws Exception {
        assumeTrue(ForeignLockHolder.available(), "needs python3 to hold the lock from another process");
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(FileJournalTest.record("a", "1", "x"));
        }
        try (ForeignLockHolder reader = ForeignLockHolder.hold(dir, ForeignLockHolder.Kind.READER)) {
            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(
                            "the journal in " + dir.toAbsolutePath().normalize() + " is being read by"
                                    + " another process (a read-only inspection, such as durable list, show or verify); try"
                                    + " again once it is done");
            try (FileJournal journal = FileJournal.openReadOnly(dir)) {
                assertThat(journal.read("a")).hasSize(1);
            }
            assertThat(JournalLock.holder(dir)).as("readers do not count").isEmpty();
        }
    }
}
