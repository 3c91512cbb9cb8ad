package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open reads every segment front to back in chunks of a megabyte: records across the edges of those chunks, larger
 * than a chunk, and damage or zeros beyond the first chunk must read as they would in one piece.
 */
class SegmentScannerTest {
    private static final int CHUNK = 1 << 20;

    @TempDir
    Path dir;

    private final Random random = new Random(20261202);

    private JournalRecord record(String execution, int i, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        random.nextBytes(payload);
        return new JournalRecord(RecordType.OPERATION, execution, Integer.toString(i), payload);
    }

    private Path segment(long sequence) {
        return dir.resolve(Segment.fileName(sequence));
    }

    /** Appends the records and returns where each starts in segment 1, then where the last ends. */
    private long[] append(List<JournalRecord> records) {
        long[] starts = new long[records.size() + 1];
        starts[0] = Segment.HEADER_SIZE;
        try (FileJournal journal = FileJournal.open(dir)) {
            for (int i = 0; i < records.size(); i++) {
                journal.append(records.get(i));
                starts[i + 1] = starts[i] + RecordCodec.encode(records.get(i)).length;
            }
        }
        return starts;
    }

    private void forgetSnapshot() throws IOException {
        Files.delete(dir.resolve(IndexSnapshot.FILE_NAME)); // as after a crash: open reads every record
    }

    private static void assertSameRecords(List<JournalRecord> actual, List<JournalRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).operationId()).isEqualTo(expected.get(i).operationId());
            assertThat(actual.get(i).payload())
                    .as("record %d", i)
                    .isEqualTo(expected.get(i).payload());
        }
    }

    @Test
    void recordsAcrossTheEdgesOfTheReadChunksAndLargerThanOneReadBackAfterACrash() throws IOException {
        List<JournalRecord> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            written.add(record("e", i, 70_000 + i)); // crossing the first chunks' edges at different points
        }
        written.add(record("e", 40, 2 * CHUNK + 12_345));
        written.add(record("e", 41, 5));
        written.add(record("e", 42, CHUNK + 1));
        written.add(record("e", 43, 3 * CHUNK));
        for (int i = 44; i < 60; i++) {
            written.add(record("e", i, 1000 * i));
        }
        long[] starts = append(written);
        forgetSnapshot();

        try (FileJournal journal = FileJournal.open(dir)) {
            assertSameRecords(journal.read("e"), written);
            journal.append(record("e", 60, 10));
        }
        JournalVerifier.Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isTrue();
        assertThat(report.records()).isEqualTo(61);
        assertThat(starts[written.size()]).isGreaterThan(8L * CHUNK);
    }

    @Test
    void damageBeyondTheFirstChunkIsRefusedAtItsExactOffset() throws IOException {
        List<JournalRecord> written = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            written.add(record("e", i, 50_000));
        }
        long[] starts = append(written);
        forgetSnapshot();
        int damaged = 45; // in the third chunk, with intact commit groups after it
        assertThat(starts[damaged]).isGreaterThan(2L * CHUNK);
        Path file = segment(1);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) starts[damaged] + 30] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> FileJournal.open(dir))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file + " is damaged at offset " + starts[damaged] + ": a record whose checksum"
                        + " does not match")
                .hasMessageContaining("an intact commit group ends at offset " + starts[damaged + 1]);
        JournalVerifier.SegmentReport report =
                JournalVerifier.verify(dir).segments().get(0);
        assertThat(report.records()).isEqualTo(damaged);
        assertThat(report.problemOffset()).isEqualTo(starts[damaged]);
        assertThat(report.recordsAfterProblem()).isEqualTo(written.size() - damaged - 1);
    }

    @Test
    void aStrayByteAfterMoreThanAChunkOfZerosIsATornWriteNotUnwrittenSpace() throws IOException {
        byte[] tail = strayByteAfterZerosIsCutOff(CHUNK + CHUNK / 2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains(".torn-")))
                    .singleElement()
                    .satisfies(copy -> assertThat(Files.readAllBytes(copy)).isEqualTo(tail));
        }
    }

    @Test
    void aRecordWhoseHeaderEndsExactlyAtTheEndOfAReadChunkReadsBackAfterACrash() throws IOException {
        // eight frames of 131,071 bytes fill the first chunk but its last 8 bytes: the ninth frame's header
        int frame = (CHUNK - RecordCodec.FRAME_HEADER) / 8;
        int payload = frame - RecordCodec.MIN_FRAME - "e".length() - "0".length();
        List<JournalRecord> written = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            written.add(record("e", i, payload));
        }
        written.add(record("e", 8, 10));
        written.add(record("e", 9, 20));
        long[] starts = append(written);
        assertThat(starts[8]).isEqualTo(Segment.HEADER_SIZE + CHUNK - RecordCodec.FRAME_HEADER);
        forgetSnapshot();

        try (FileJournal journal = FileJournal.open(dir)) {
            assertSameRecords(journal.read("e"), written);
        }
        assertThat(JournalVerifier.verify(dir).segments().get(0).status()).isEqualTo(JournalVerifier.Status.INTACT);
    }

    @Test
    void aStrayByteShortlyAfterZerosIsATornWriteNotUnwrittenSpace() throws IOException {
        strayByteAfterZerosIsCutOff(99);
    }

    /**
     * Two records, then {@code zeros} zero bytes and a stray byte: the verifier reports a torn tail where the records
     * end, and open keeps both records and cuts the tail off; returns the tail.
     */
    private byte[] strayByteAfterZerosIsCutOff(int zeros) throws IOException {
        List<JournalRecord> written = List.of(record("e", 0, 100), record("e", 1, 200));
        long[] starts = append(written);
        forgetSnapshot();
        Path file = segment(1);
        byte[] records = Arrays.copyOf(Files.readAllBytes(file), (int) starts[2]);
        byte[] tail = new byte[zeros + 1];
        tail[tail.length - 1] = 7;
        Files.write(file, records);
        Files.write(file, tail, StandardOpenOption.APPEND);

        JournalVerifier.SegmentReport report =
                JournalVerifier.verify(dir).segments().get(0);
        assertThat(report.status()).isEqualTo(JournalVerifier.Status.TORN_TAIL);
        assertThat(report.problemOffset()).isEqualTo(starts[2]);
        try (FileJournal journal = FileJournal.open(dir)) {
            assertSameRecords(journal.read("e"), written);
        }
        assertThat(Files.size(file)).as("the stray byte cut off").isEqualTo(starts[2]);
        return tail;
    }

    @Test
    void moreThanAChunkOfZerosAfterTheRecordsIsUnwrittenSpace() throws IOException {
        List<JournalRecord> written = List.of(record("e", 0, 100), record("e", 1, 200));
        long[] starts = append(written);
        forgetSnapshot();
        Path file = segment(1);
        byte[] records = Arrays.copyOf(Files.readAllBytes(file), (int) starts[2]);
        Files.write(file, records);
        Files.write(file, new byte[3 * CHUNK + 5], StandardOpenOption.APPEND);

        JournalVerifier.SegmentReport report =
                JournalVerifier.verify(dir).segments().get(0);
        assertThat(report.status()).isEqualTo(JournalVerifier.Status.INTACT);
        assertThat(report.records()).isEqualTo(2);
        try (FileJournal journal = FileJournal.open(dir)) {
            assertSameRecords(journal.read("e"), written);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains(".torn-")))
                    .isEmpty();
        }
    }

    @Test
    void aLargeRecordCutShortIsATornWriteAndTheRecordsBeforeItAreKept() throws IOException {
        List<JournalRecord> written = List.of(record("e", 0, 100), record("e", 1, 2 * CHUNK));
        long[] starts = append(written);
        forgetSnapshot();
        Path file = segment(1);
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) starts[2] - 1));

        try (FileJournal journal = FileJournal.open(dir)) {
            assertSameRecords(journal.read("e"), written.subList(0, 1));
        }
        assertThat(Files.size(file)).isEqualTo(starts[1]);
    }
}
