package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionsTest {
    @TempDir
    Path dir;

    @Test
    void theJournalCreatesItsDirectoryAndFilesOwnerOnly() throws IOException {
        assumeTrue(JournalStorage.POSIX, "POSIX permissions");
        Path journalDir = dir.resolve("nested").resolve("journal");
        try (FileJournal journal =
                FileJournal.open(journalDir, FileJournalOptions.defaults().segmentSize(4096))) {
            for (int i = 0; i < 200; i++) {
                journal.append(record("e" + i, "1", "payload " + i));
            }
            journal.forget(List.of("e1"));
        }
        assertThat(permissions(journalDir)).isEqualTo("rwx------");
        assertThat(permissions(journalDir.getParent())).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(journalDir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSizeGreaterThan(2);
            for (Path file : all) {
                assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
