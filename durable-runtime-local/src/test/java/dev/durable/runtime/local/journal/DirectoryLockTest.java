package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.core.JournalException;
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
}
