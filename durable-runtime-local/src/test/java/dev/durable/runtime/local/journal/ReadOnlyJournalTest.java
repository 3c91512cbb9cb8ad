package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inspecting a journal that must not change: a copy, a backup, a read-only mount. Read-only files alone prove
 * nothing when the tests run as root (root writes them anyway), so each test also compares every file, its size,
 * bytes and modification time, and the directory's, before and after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadOnlyJournalTest {
    @TempDir
    Path dir;

    @Test
    void aReadOnlyOpenReadsEveryAcknowledgedRecordAndChangesNothing() throws IOException {
        try (FileJournal j = FileJournal.open(dir, FileJournalOptions.defaults().segmentSize(4096))) {
            for (int i = 0; i < 100; i++) {
                j.append(record("e" + (i % 10), Integer.toString(i / 10), "payload " + i));
            }
            j.forget(List.of("e9"));
        }
        makeReadOnly(dir);
        try {
            DirectoryState before = DirectoryState.of(dir);
            try (FileJournal j = FileJournal.openReadOnly(dir)) {
                assertThat(j.readOnly()).isTrue();
                assertThat(j.executionIds()).hasSize(9).doesNotContain("e9");
                assertThat(j.read("e3"))
                        .extracting(JournalRecord::operationId)
                        .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
                assertThat(new String(j.last("e3").payload(), StandardCharsets.UTF_8))
                        .isEqualTo("payload 93");
                assertThatThrownBy(() -> j.append(record("e1", "10", "x")))
                        .isInstanceOf(JournalException.class)
                        .hasMessageContaining("read-only");
                assertThatThrownBy(() -> j.forget(List.of("e1"))).hasMessageContaining("read-only");
                assertThatThrownBy(j::compact).hasMessageContaining("read-only");
            }
            JournalVerifier.Report report = JournalVerifier.verify(dir);
            assertThat(report.intact()).as(report.toString()).isTrue();
            assertThat(DirectoryState.of(dir)).isEqualTo(before);
        } finally {
            makeWritable(dir);
        }
        FileJournal.open(dir).close(); // and it still opens for writing
    }

    @Test
    void aTornTailIsSkippedInPlaceNotCutOff() throws IOException {
        try (FileJournal j = FileJournal.open(dir)) {
            j.append(record("a", "1", "kept"));
        }
        Path segment = dir.resolve(Segment.fileName(1));
        Files.write(segment, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND); // a torn write
        DirectoryState before = DirectoryState.of(dir);

        try (FileJournal j = FileJournal.openReadOnly(dir)) {
            assertThat(j.read("a")).hasSize(1);
        }
        assertThat(DirectoryState.of(dir)).isEqualTo(before);
        assertThat(JournalVerifier.verify(dir).segments().get(0).status()).isEqualTo(JournalVerifier.Status.TORN_TAIL);
        assertThat(DirectoryState.of(dir)).as("verify writes nothing either").isEqualTo(before);
    }

    @Test
    void aJournalWithoutALockFileOpensReadOnlyWithoutCreatingOne() throws IOException {
        try (FileJournal j = FileJournal.open(dir)) {
            j.append(record("a", "1", "kept"));
        }
        Files.delete(dir.resolve(DirectoryLock.FILE_NAME)); // a backup of the segments and metadata only
        DirectoryState before = DirectoryState.of(dir);

        try (FileJournal j = FileJournal.openReadOnly(dir)) {
            assertThat(j.read("a")).hasSize(1);
        }
        assertThat(DirectoryState.of(dir)).isEqualTo(before);
    }

    private static void makeReadOnly(Path dir) throws IOException {
        if (!JournalStorage.POSIX) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    }

    private static void makeWritable(Path dir) throws IOException {
        if (!JournalStorage.POSIX) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
