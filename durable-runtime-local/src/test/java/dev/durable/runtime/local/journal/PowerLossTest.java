package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.CompactionTest.contents;
import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power loss leaves of a journal, with {@link PowerLossStorage}: the power fails after each change to the disk
 * in turn (a write, a force, a rename...) while the journal appends, rolls, compacts, repairs or closes, and then once
 * everything is done; every time, the journal opens again and holds every record it acknowledged.
 */
class PowerLossTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);
    /** Four records fill a segment. */
    private static final String PAYLOAD = "p".repeat(900);

    @TempDir
    Path dir;

    private static List<String> operationIds(List<JournalRecord> records) {
        return records.stream().map(JournalRecord::operationId).toList();
    }

    /**
     * The power fails now if it has not yet, then the journal is closed as far as it still can be (its process would
     * not get to, but this one must release the directory) and the power comes back. Returns whether the work had
     * finished before the power went off.
     */
    private static boolean afterPowerLoss(PowerLossStorage storage, FileJournal journal) throws IOException {
        boolean finished = !storage.powerIsOff();
        if (finished) {
            storage.cutPower();
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (JournalException expected) {
                // closing writes, and the power is off
            }
        }
        assertThat(storage.openFiles()).as("files left open").isEmpty();
        storage.restorePower();
        return finished;
    }

    /** A journal failure is allowed only as what the power going off caused. */
    private static void failedForLackOfPower(PowerLossStorage storage, JournalException failure) {
        assertThat(storage.powerIsOff())
                .as("failed without a power loss: %s", failure)
                .isTrue();
    }

    /** A copy of the journal in {@code from} at {@code to}, without its lock file. */
    private static void copyJournal(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }

    @Test
    void everyRecordAcknowledgedBeforeThePowerFailsIsThereAfterwardsWhereverItFails() throws IOException {
        for (int cut = 0; ; cut++) {
            Path root = Files.createDirectory(dir.resolve("cut-" + cut));
            PowerLossStorage storage = new PowerLossStorage(root);
            Path journalDir = root.resolve("new").resolve("journal"); // created by the journal, with its parent
            FileJournalOptions options = SMALL.storage(storage);
            List<String> acknowledged = new ArrayList<>();
            FileJournal journal = null;
            storage.cutPowerAfter(cut);
            try {
                journal = FileJournal.open(journalDir, options);
                for (int i = 0; i < 10; i++) { // over two rolls to a new segment
                    journal.append(record("exec", Integer.toString(i), PAYLOAD));
                    acknowledged.add(Integer.toString(i));
                }
            } catch (JournalException powerFailed) {
                failedForLackOfPower(storage, powerFailed);
            }
            boolean finished = afterPowerLoss(storage, journal);

            try (FileJournal reopened = FileJournal.open(journalDir, options)) {
                List<String> read = operationIds(reopened.read("exec"));
                assertThat(read.size())
                        .as("power cut after %d changes; acknowledged %s, read %s", cut, acknowledged, read)
                        .isBetween(acknowledged.size(), acknowledged.size() + 1); // and maybe the one being appended
                assertThat(read.subList(0, acknowledged.size())).isEqualTo(acknowledged);
                reopened.append(record("exec", "after", "the power came back"));
            }
            try (FileJournal reopened = FileJournal.open(journalDir, options)) {
                assertThat(operationIds(reopened.read("exec"))).endsWith("after");
            }
            if (finished) {
                assertThat(acknowledged).hasSize(10);
                return;
            }
        }
    }

    /**
     * A journal in {@code base} whose first segments hold only executions that are then forgotten (compaction deletes
     * them) and whose later ones mix forgotten and running executions (compaction rewrites them).
     *
     * @return what it holds
     */
    private static Map<String, List<String>> journalToCompact(Path base) {
        try (FileJournal journal = FileJournal.open(base, SMALL)) {
            for (int i = 0; i < 8; i++) {
                journal.append(record("old", Integer.toString(i), PAYLOAD));
            }
            for (int i = 0; i < 12; i++) {
                journal.append(record(i % 3 == 0 ? "running" : "done", Integer.toString(i), PAYLOAD));
            }
            journal.forget(List.of("old", "done"));
            return contents(journal);
        }
    }

    @Test
    void aCompactionCutShortByAPowerLossAtAnyStepOrFollowedByOneLosesNothing() throws IOException {
        Path base = dir.resolve("base");
        Map<String, List<String>> expected = journalToCompact(base);
        assertThat(expected.keySet()).containsExactly("running");
        for (int cut = 0; ; cut++) {
            Path root = dir.resolve("cut-" + cut);
            copyJournal(base, root);
            PowerLossStorage storage = new PowerLossStorage(root);
            FileJournalOptions options = SMALL.storage(storage);
            FileJournal journal = FileJournal.open(root, options);
            long reclaimed = 0;
            storage.cutPowerAfter(cut);
            try {
                reclaimed = journal.compact();
            } catch (JournalException powerFailed) {
                failedForLackOfPower(storage, powerFailed);
            }
            boolean finished = afterPowerLoss(storage, journal);

            try (FileJournal reopened = FileJournal.open(root, options)) {
                assertThat(contents(reopened))
                        .as("power cut after %d changes", cut)
                        .isEqualTo(expected);
                reopened.append(record("running", "after", "the power came back"));
                reopened.compact();
            }
            try (FileJournal reopened = FileJournal.open(root, options)) {
                assertThat(operationIds(reopened.read("running"))).endsWith("after");
            }
            if (finished) {
                assertThat(reclaimed).isPositive();
                return;
            }
        }
    }

    @Test
    void closingCutShortByAPowerLossAtAnyStepLosesNothing() throws IOException {
        Path base = dir.resolve("base");
        Map<String, List<String>> expected = journalToCompact(base);
        for (int cut = 0; ; cut++) {
            Path root = dir.resolve("cut-" + cut);
            copyJournal(base, root);
            PowerLossStorage storage = new PowerLossStorage(root);
            FileJournalOptions options = SMALL.storage(storage);
            FileJournal journal = FileJournal.open(root, options);
            journal.compact(); // so that the index snapshot close writes differs from the one there
            storage.cutPowerAfter(cut);
            journal.close(); // writes the index snapshot
            boolean finished = afterPowerLoss(storage, null);

            try (FileJournal reopened = FileJournal.open(root, options)) {
                assertThat(contents(reopened))
                        .as("power cut after %d changes", cut)
                        .isEqualTo(expected);
            }
            if (finished) {
                return;
            }
        }
    }

    @Test
    void aTornTailRepairedAtOpenStaysRepairedAndKeepsItsCopyThroughAPowerLossAtAnyStep() throws IOException {
        Path base = dir.resolve("base");
        List<String> appended = new ArrayList<>();
        long end = Segment.HEADER_SIZE;
        try (FileJournal journal = FileJournal.open(base, SMALL)) {
            for (int i = 0; i < 6; i++) {
                JournalRecord r = record("exec", Integer.toString(i), "payload " + i);
                journal.append(r);
                appended.add(Integer.toString(i));
                end += RecordCodec.encode(r).length;
            }
        }
        Files.delete(base.resolve(IndexSnapshot.FILE_NAME)); // as after a crash
        byte[] torn = RecordCodec.encode(record("exec", "6", "a record whose write the crash cut short"));
        byte[] tornPart = Arrays.copyOf(torn, 30);
        try (StorageFile segment = JournalStorage.DISK.open(base.resolve(Segment.fileName(1)), false)) {
            segment.writeFully(ByteBuffer.wrap(tornPart), end);
        }

        for (int cut = 0; ; cut++) {
            Path root = dir.resolve("cut-" + cut);
            copyJournal(base, root);
            PowerLossStorage storage = new PowerLossStorage(root);
            FileJournalOptions options = SMALL.storage(storage);
            FileJournal journal = null;
            storage.cutPowerAfter(cut);
            try {
                journal = FileJournal.open(root, options); // repairs the torn tail
            } catch (JournalException powerFailed) {
                failedForLackOfPower(storage, powerFailed);
            }
            boolean finished = afterPowerLoss(storage, journal);

            try (FileJournal reopened = FileJournal.open(root, options)) {
                assertThat(operationIds(reopened.read("exec")))
                        .as("power cut after %d changes", cut)
                        .isEqualTo(appended);
            }
            List<Path> copies = RecoveryTest.tornCopies(root);
            if (finished) {
                assertThat(copies)
                        .as("the repair was done before the power failed")
                        .hasSize(1);
                assertThat(Files.readAllBytes(copies.get(0))).isEqualTo(tornPart);
                return;
            }
            for (Path copy : copies) {
                assertThat(Files.readAllBytes(copy)).isEqualTo(tornPart);
            }
        }
    }
}
