package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
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
                .hasMessageContaining("not a regular file")
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
}
