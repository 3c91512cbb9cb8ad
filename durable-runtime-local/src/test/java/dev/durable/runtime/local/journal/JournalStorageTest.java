package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real disk as the journal uses it ({@link JournalStorage#DISK}), and what a storage passed in may do. */
class JournalStorageTest {
    @TempDir
    Path dir;

    @Test
    void aJournalOnAStorageWhoseReadsComeUpShortReadsEveryRecordBack() {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(4096);
        String large = "x".repeat(10_000);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 100; i++) {
                journal.append(record("e" + (i % 3), Integer.toString(i), "payload " + i));
            }
            journal.append(record("large", "1", large));
        }
        FaultyStorage shortReads = new FaultyStorage();
        shortReads.shortReads();
        try (FileJournal journal = FileJournal.open(dir, small.storage(shortReads))) {
            assertThat(journal.read("e1"))
                    .extracting(JournalRecord::payloadText)
                    .hasSize(33)
                    .startsWith("payload 1", "payload 4")
                    .endsWith("payload 97");
            assertThat(journal.last("large").payloadText()).isEqualTo(large);
            journal.append(record("e0", "after", "reopening"));
        }
        try (FileJournal journal = FileJournal.openReadOnly(dir, small.storage(shortReads))) {
            assertThat(journal.count("e0")).isEqualTo(35);
            assertThat(journal.last("e0").payloadText()).isEqualTo("reopening");
        }
    }

    @Test
    void closingAJournalOrAskingWhoHoldsItLeavesNoneOfItsFilesOpen() throws IOException {
        assumeThat(OpenFiles.canTell()).as("a /proc/self/fd to look at").isTrue();
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(4096);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 200; i++) {
                journal.append(record("e" + (i % 2), Integer.toString(i), "payload " + i));
            }
            journal.forget(List.of("e1"));
            journal.compact();
            assertThat(OpenFiles.under(dir)).as("while open").isNotEmpty();
        }
        assertThat(OpenFiles.under(dir)).as("after close").isEmpty();

        assertThat(JournalLock.holder(dir)).isEmpty();
        assertThat(OpenFiles.under(dir)).as("after asking who holds it").isEmpty();

        try (FileJournal journal = FileJournal.openReadOnly(dir, small)) {
            assertThat(journal.count("e0")).isEqualTo(100);
        }
        assertThat(OpenFiles.under(dir)).as("after a read-only open").isEmpty();
    }

    @Test
    void openingASymbolicLinkIsRefusedSayingItIsALink() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere"), "not the journal's");
        Path link = Files.createSymbolicLink(dir.resolve(Segment.fileName(1)), target);

        assertThatThrownBy(() -> JournalStorage.DISK.open(link, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the journal file " + link + " is a symbolic link (to " + target + ")");
        assertThatThrownBy(() -> JournalStorage.DISK.open(link, true))
                .hasMessageContaining("is a symbolic link (to " + target + ")");
        assertThatThrownBy(() -> JournalStorage.DISK.openReadOnly(link))
                .hasMessageContaining("is a symbolic link (to " + target + ")");
        assertThat(Files.readString(target)).isEqualTo("not the journal's");
    }

    @Test
    void openingAFileThatIsNotThereFailsWithTheFileSystemsOwnError() {
        Path missing = dir.resolve(Segment.fileName(7));

        assertThatThrownBy(() -> JournalStorage.DISK.open(missing, false))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing.toString());
        assertThatThrownBy(() -> JournalStorage.DISK.openReadOnly(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage(missing.toString());
    }
}
