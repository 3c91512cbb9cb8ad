package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write the journal directory must not be able to make the journal (often run as root) write
 * or read another file through a link planted among its files. Links work the same for root, so none of this is
 * skipped when the tests run as root.
 */
class SymlinkTest {
    private static final byte[] PRECIOUS =
            "root:x:0:0:precious bytes that must not change\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    Path journal;
    Path victim;

    @BeforeEach
    void setUp() throws IOException {
        journal = tmp.resolve("journal");
        victim = Files.write(tmp.resolve("victim"), PRECIOUS);
    }

    @Test
    void aLockFileThatIsALinkIsRefusedAndItsTargetIsNotWritten() throws IOException {
        Files.createDirectories(journal);
        Files.createSymbolicLink(journal.resolve(DirectoryLock.FILE_NAME), victim);

        assertRefusedNaming(DirectoryLock.FILE_NAME);
        assertThatThrownBy(() -> FileJournal.openReadOnly(journal)).hasMessageContaining("symbolic link");
        assertThat(victim).hasBinaryContent(PRECIOUS);
    }

    @Test
    void aLockFileWithASecondNameIsRefusedAndNotWritten() throws IOException {
        Files.createDirectories(journal);
        Files.createLink(journal.resolve(DirectoryLock.FILE_NAME), victim);

        assertThatThrownBy(() -> FileJournal.open(journal))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(DirectoryLock.FILE_NAME)
                .hasMessageContaining("hard links");
        assertThat(victim).hasBinaryContent(PRECIOUS);
    }

    @Test
    void aSegmentThatIsALinkIsRefusedAndItsTargetIsNotCutOrWritten() throws IOException {
        writeJournal();
        Path segment = journal.resolve(Segment.fileName(1));
        // The victim looks like the segment with a torn write at its end: a journal following the link would cut
        // the "torn" bytes off the victim.
        Files.write(victim, Files.readAllBytes(segment));
        Files.write(victim, PRECIOUS, StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(victim);
        Files.delete(segment);
        Files.createSymbolicLink(segment, victim);

        assertRefusedNaming(Segment.fileName(1));
        assertThat(victim).hasBinaryContent(before);
        assertThat(tornCopies()).isEmpty();
    }

    @Test
    void aManifestThatIsALinkIsRefused() throws IOException {
        writeJournal();
        replaceWithLink(Manifest.FILE_NAME);

        assertRefusedNaming(Manifest.FILE_NAME);
        assertThat(Files.isSymbolicLink(journal.resolve(Manifest.FILE_NAME)))
                .as("left as it was")
                .isTrue();
    }

    @Test
    void anIndexSnapshotThatIsALinkIsRefused() throws IOException {
        writeJournal();
        replaceWithLink(IndexSnapshot.FILE_NAME);

        assertRefusedNaming(IndexSnapshot.FILE_NAME);
        assertThat(Files.isSymbolicLink(journal.resolve(IndexSnapshot.FILE_NAME)))
                .as("left as it was")
                .isTrue();
    }

    @Test
    void linksPlantedWhereTheJournalWritesNewFilesAreNeverWrittenThrough() throws Exception {
        List<Path> victims = new ArrayList<>();
        try (FileJournal j = FileJournal.open(
                journal, FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false))) {
            List<String> names = List.of(
                    Manifest.FILE_NAME + ".tmp",
                    IndexSnapshot.FILE_NAME + ".tmp",
                    Segment.fileName(2) + ".tmp",
                    Segment.fileName(3) + ".tmp",
                    Segment.rewriteFileName(1));
            for (String name : names) {
                Path v = Files.write(tmp.resolve("victim-" + name), PRECIOUS);
                victims.add(v);
                Files.createSymbolicLink(journal.resolve(name), v);
            }
            for (int i = 0; i < 200; i++) { // rolls to segments 2 and 3: new segment files, manifest rewritten
                j.append(record("e" + i, "1", "a payload that fills the segments " + i));
            }
            assertThat(Files.exists(journal.resolve(Segment.fileName(3)))).isTrue();
            j.forget(List.of("e0", "e2", "e4")); // compaction rewrites segment 1 without them
            assertThat(j.compact()).isPositive();
        } // close writes the index snapshot
        for (Path v : victims) {
            assertThat(v).as(v.toString()).hasBinaryContent(PRECIOUS);
        }
        for (String name : List.of(
                Manifest.FILE_NAME,
                IndexSnapshot.FILE_NAME,
                Segment.fileName(1),
                Segment.fileName(2),
                Segment.fileName(3))) {
            assertThat(Files.isRegularFile(journal.resolve(name), LinkOption.NOFOLLOW_LINKS))
                    .as(name)
                    .isTrue();
        }
        try (FileJournal reopened = FileJournal.open(journal)) {
            assertThat(reopened.read("e1")).hasSize(1);
            assertThat(reopened.read("e0")).isEmpty();
            assertThat(reopened.read("e199")).hasSize(1);
        }
    }

    @Test
    void aDirectoryEveryoneCanWriteIsRefusedForWritingUnlessSticky() throws IOException {
        assumeTrue(JournalStorage.POSIX, "POSIX permissions");
        writeJournal();
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> FileJournal.open(journal))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("can be written by every user")
                .hasMessageContaining("chmod 700 " + journal);
        FileJournal.openReadOnly(journal).close(); // reading it is allowed (with a warning)

        Files.setAttribute(journal, "unix:mode", 01777); // sticky, like /tmp: others cannot replace our files
        FileJournal.open(journal).close();
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rwxrwx---")); // group: a warning
        FileJournal.open(journal).close();
    }

    @Test
    void linksThatAreNotTheJournalsFilesAreLeftAloneByOpenAndTheVerifier() throws IOException {
        writeJournal();
        Path notes = Files.createSymbolicLink(journal.resolve("notes.txt"), victim);
        Path backups = Files.createSymbolicLink(journal.resolve("backups"), tmp);

        try (FileJournal j = FileJournal.open(journal)) {
            assertThat(j.executionIds()).hasSize(10);
            j.append(record("e0", "2", "after"));
        }
        assertThat(JournalVerifier.verify(journal).problems()).isEmpty();
        assertThat(Files.isSymbolicLink(notes)).isTrue();
        assertThat(Files.isSymbolicLink(backups)).isTrue();
        assertThat(victim).hasBinaryContent(PRECIOUS);
    }

    private void writeJournal() {
        try (FileJournal j = FileJournal.open(journal)) {
            for (int i = 0; i < 10; i++) {
                j.append(record("e" + i, "1", "payload " + i));
            }
        }
    }

    private void replaceWithLink(String name) throws IOException {
        Path file = journal.resolve(name);
        Files.move(file, victim, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createSymbolicLink(file, victim);
    }

    private void assertRefusedNaming(String name) {
        assertThatThrownBy(() -> FileJournal.open(journal))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(journal.resolve(name) + " is a symbolic link")
                .hasMessageContaining("replace the link with the file itself");
    }

    private List<Path> tornCopies() throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(p -> p.getFileName().toString().contains(".torn-"))
                    .toList();
        }
    }
}
