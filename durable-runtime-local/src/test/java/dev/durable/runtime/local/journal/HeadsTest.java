package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileJournal#heads} reads what opening a runtime needs in one pass, and agrees with reading one by one. */
class HeadsTest {
    @TempDir
    Path dir;

    private static JournalRecord record(RecordType type, String execution, int n, int size) {
        byte[] payload = (execution + "#" + n + "-" + "x".repeat(size)).getBytes(StandardCharsets.UTF_8);
        return new JournalRecord(type, execution, type == RecordType.OPERATION ? Integer.toString(n) : "", payload);
    }

    @Test
    void headsAgreeWithFirstLastAndCountForInterleavedExecutionsAcrossSegments() {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(16 << 10);
        Random random = new Random(42);
        int executions = 200;
        int[] appended = new int[executions];
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 3000; i++) {
                // executions started long ago interleave with new ones, so positions go back and forth
                int e = random.nextInt(Math.min(executions, 5 + i / 10));
                String id = "e" + e;
                RecordType type = appended[e] == 0 ? RecordType.EXECUTION_STARTED : RecordType.OPERATION;
                journal.append(record(type, id, appended[e]++, random.nextInt(random.nextInt(10) == 0 ? 3000 : 80)));
            }
        }
        try (FileJournal journal = FileJournal.open(dir, small)) {
            List<Journal.Head> heads = new ArrayList<>();
            journal.heads(heads::add);
            assertThat(heads).extracting(Journal.Head::executionId).containsExactlyElementsOf(journal.executionIds());
            for (Journal.Head h : heads) {
                String id = h.executionId();
                assertThat(h.first().payloadText()).isEqualTo(journal.first(id).payloadText());
                assertThat(h.last().payloadText()).isEqualTo(journal.last(id).payloadText());
                assertThat(h.count())
                        .isEqualTo(journal.count(id))
                        .isEqualTo(journal.read(id).size());
                assertThat(h.first().type()).isEqualTo(RecordType.EXECUTION_STARTED);
            }
            assertThat(heads).hasSizeGreaterThan(100);
            assertThat(journal.count("missing")).isZero();
        }
    }

    @Test
    void anExecutionWithOneRecordHasItAsFirstAndLast() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record(RecordType.EXECUTION_STARTED, "only", 0, 10));
            List<Journal.Head> heads = new ArrayList<>();
            journal.heads(heads::add);
            assertThat(heads).singleElement().satisfies(h -> {
                assertThat(h.count()).isEqualTo(1);
                assertThat(h.last().payloadText()).isEqualTo(h.first().payloadText());
            });
            assertThat(journal.recordsSuspensions()).isTrue();
        }
    }
}
