package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.runtime.local.testing.ChildJvm;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests across processes: the directory lock, a read-only open against a writer and a kill -9 during heavy appends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildProcessTest {
    @TempDir
    Path dir;

    private static ChildJvm start(String... args) throws IOException {
        return ChildJvm.builder(JournalChild.class)
                .jvmOptions("-Xmx256m")
                .args(args)
                .start();
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        try (ChildJvm holder = start("hold", dir.toString())) {
            assertThat(holder.await(line -> true)).as("the child's first line").isEqualTo("ready");

            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("in use by process " + holder.pid());

            holder.closeInput();
            assertThat(holder.awaitExit()).as("the holder's exit status").isZero();
        }
        FileJournal.open(dir).close(); // free once the holder has gone
    }

    @Test
    void theSameDirectoryReachedByAnotherPathStaysLockedAgainstOtherProcesses() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        long me = ProcessHandle.current().pid();
        try (FileJournal first = FileJournal.open(real)) {
            assertThatThrownBy(() -> FileJournal.open(link))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("already open in this process");

            try (ChildJvm other = start("hold", link.toString())) {
                assertThat(other.await(line -> true))
                        .as("the other process, opening through the link")
                        .startsWith("refused ")
                        .contains("in use by process " + me);
            }
        }
    }

    @Test
    void aDirectoryRenamedWhileOpenIsStillTheSameJournalAndStaysLockedAgainstOtherProcesses() throws Exception {
        Path before = Files.createDirectory(dir.resolve("before"));
        Path after = dir.resolve("after");
        long me = ProcessHandle.current().pid();
        try (FileJournal first = FileJournal.open(before)) {
            Files.move(before, after); // or the same directory through a bind mount: another real path, same files
            assertThatThrownBy(() -> FileJournal.open(after))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("already open in this process");

            try (ChildJvm other = start("hold", after.toString())) {
                assertThat(other.await(line -> true))
                        .as("the other process")
                        .startsWith("refused ")
                        .contains("in use by process " + me);
            }
        }
    }

    @Test
    void aRefusalAlwaysNamesTheHoldersPidEvenWhileTheHolderIsStillOpening() throws Exception {
        int rounds = 150;
        long me = ProcessHandle.current().pid();
        List<String> refusals = new ArrayList<>();
        try (ChildJvm prober = start("probe", dir.toString(), Integer.toString(rounds))) {
            for (int i = 0; i < rounds; i++) {
                String round = Integer.toString(i);
                FileJournal held = null;
                try {
                    held = FileJournal.open(dir.resolve(round)); // the prober tries the moment the lock file appears
                } catch (JournalException proberWasFirst) {
                    // it opened the journal before this process could; it closes it again at once
                }
                String line = prober.await(l -> l.startsWith("refused " + round + " ") || l.equals("opened " + round));
                if (held != null) {
                    held.close();
                    if (line.startsWith("refused ")) {
                        refusals.add(line);
                    }
                }
            }
            prober.awaitCleanExit();
        }
        assertThat(refusals).as("refusals seen by the other process").isNotEmpty();
        assertThat(refusals).allSatisfy(line -> assertThat(line).contains("in use by process " + me));
    }

    @Test
    void killingTheProcessDuringConcurrentAppendsLosesNoAcknowledgedRecord() throws Exception {
        List<String> lines;
        try (ChildJvm child = start("append", dir.toString(), "8")) {
            child.await("acknowledged 5000"::equals); // let it get well into its stride
            child.kill();
            lines = child.stdout().stream()
                    .filter(line -> line.startsWith("exec-"))
                    .toList();
        }

        // Everything the child printed before it died had been acknowledged.
        Map<String, Integer> acknowledged = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length == 2) { // a line cut by the kill can only understate
                acknowledged.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
            }
        }
        assertThat(lines.size()).isGreaterThanOrEqualTo(5000);

        try (FileJournal journal = FileJournal.open(dir)) {
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                List<JournalRecord> records = journal.read(e.getKey());
                assertThat(records.size()).as(e.getKey()).isGreaterThan(e.getValue());
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).operationId()).isEqualTo(Integer.toString(i));
                }
            }
        }
    }

    @Test
    void killingTheProcessWithTheNextSegmentMadeAheadLosesNothingAndOpenDeletesIt() throws Exception {
        int records = 12; // 32 + 12 x 254 of 4096 bytes: past three quarters, so the next segment is made
        Path prepared = dir.resolve(Segment.preparedFileName(2));
        try (ChildJvm child = start("prepare", dir.toString(), Integer.toString(records))) {
            child.await("prepared"::equals);
            child.kill();
        }
        assertThat(prepared).as("left by the crash").exists();
        assertThat(JournalVerifier.verify(dir).intact()).isTrue();

        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().segmentSize(4096))) {
            assertThat(prepared).doesNotExist();
            List<JournalRecord> all = journal.read("e");
            assertThat(all).hasSize(records);
            for (int i = 0; i < records; i++) {
                journal.append(new JournalRecord(
                        all.get(0).type(), "e", "after " + i, all.get(0).payload()));
            }
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("e")).hasSize(2 * records);
        }
    }

    @Test
    void aReadOnlyOpenIsRefusedWhileAProcessWritesAndKeepsWritersOutWhileItReads() throws Exception {
        FileJournal.open(dir).close();
        try (ChildJvm writer = ChildJvm.builder(JournalChild.class)
                .args("hold", dir.toString())
                .start()) {
            assertThat(writer.await(line -> true)).isEqualTo("ready");
            assertThatThrownBy(() -> FileJournal.openReadOnly(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("in use by process " + writer.pid());
            writer.closeInput();
            writer.awaitCleanExit();
        }
        try (FileJournal reading = FileJournal.openReadOnly(dir);
                ChildJvm writer = ChildJvm.builder(JournalChild.class)
                        .args("hold", dir.toString())
                        .start()) {
            assertThat(writer.await(line -> true))
                    .as("a writer while a read-only inspection reads")
                    .startsWith("refused ")
                    .contains("being read by another process");
            assertThatThrownBy(() -> FileJournal.open(dir)).hasMessageContaining("already open in this process");
        }
        FileJournal.open(dir).close();
    }
}
