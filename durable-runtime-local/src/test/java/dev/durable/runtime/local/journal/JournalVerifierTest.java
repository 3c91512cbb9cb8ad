package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.runtime.local.journal.JournalVerifier.Report;
import dev.durable.runtime.local.journal.JournalVerifier.SegmentReport;
import dev.durable.runtime.local.journal.JournalVerifier.Status;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code durable verify} reports for a journal directory, judged as open would judge it. */
class JournalVerifierTest {
    private static final FileJournalOptions SMALL =
            FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(false);
    private static final int RECORDS = 6;

    @TempDir
    Path dir;

    private Path segment(long sequence) {
        return dir.resolve(Segment.fileName(sequence));
    }

    /** RECORDS records in one segment, one commit group each; returns where each starts, then the end. */
    private long[] writeRecords() {
        long[] starts = new long[RECORDS + 1];
        starts[0] = Segment.HEADER_SIZE;
        try (FileJournal journal = FileJournal.open(dir)) {
            for (int i = 0; i < RECORDS; i++) {
                JournalRecord r = record("exec", Integer.toString(i), "payload number " + i);
                journal.append(r);
                starts[i + 1] = starts[i] + RecordCodec.encode(r).length;
            }
        }
        return starts;
    }

    /** 120 records of about 100 bytes over several small segments; returns the number of segments. */
    private int writeSeveralSegments() throws IOException {
        try (FileJournal journal = FileJournal.open(dir, SMALL)) {
            for (int i = 0; i < 120; i++) {
                journal.append(record("e" + (i % 4), Integer.toString(i), "payload " + i + " " + "y".repeat(60)));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> Segment.sequenceOf(f.getFileName().toString()) >= 0)
                    .count();
        }
    }

    private void flipByte(Path file, long at) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) at] ^= 0x10;
        Files.write(file, bytes);
    }

    @Test
    void aDirectoryThatDoesNotExistIsRefusedNamingIt() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> JournalVerifier.verify(missing))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("there is no journal directory at " + missing)
                .hasMessageContaining("LocalRuntime.open");
    }

    @Test
    void anEmptyDirectoryHoldsNoJournalAndNothingIsWrong() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a journal file");
        Report report = JournalVerifier.verify(dir);
        assertThat(report.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(report.segments()).isEmpty();
        assertThat(report.tornCopies()).isEmpty();
        assertThat(report.problems()).isEmpty();
        assertThat(report.intact()).isTrue();
        assertThat(report.records()).isZero();
    }

    @Test
    void anIntactJournalReportsEachSegmentWithItsSizeAndRecords() throws IOException {
        int segments = writeSeveralSegments();
        assertThat(segments).isGreaterThan(2);

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.records()).isEqualTo(120);
        assertThat(report.segments()).hasSize(segments);
        for (int i = 0; i < segments; i++) {
            SegmentReport s = report.segments().get(i);
            assertThat(s.file()).isEqualTo(segment(i + 1));
            assertThat(s.size()).isEqualTo(Files.size(segment(i + 1)));
            assertThat(s.records()).isPositive();
            assertThat(s.status()).isEqualTo(Status.INTACT);
            assertThat(s.problemOffset()).isEqualTo(-1);
            assertThat(s.problem()).isNull();
            assertThat(s.recordsAfterProblem()).isZero();
        }
    }

    @Test
    void forgetMarkersCountAsRecords() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("a", "1", "x"));
            journal.append(record("b", "1", "y"));
            journal.forget(List.of("a"));
        }
        Report report = JournalVerifier.verify(dir);
        assertThat(report.records()).isEqualTo(3);
        assertThat(report.segments())
                .singleElement()
                .extracting(SegmentReport::records)
                .isEqualTo(3);
    }

    @Test
    void aTornWriteAtTheEndIsATornTailWithItsOffsetAndSizeAndTheJournalIsStillIntact() throws IOException {
        long[] starts = writeRecords();
        byte[] torn = {40, 0, 0, 0, 1, 2, 3, 4, 5};
        byte[] withZeros = Arrays.copyOf(torn, torn.length + 100); // and preallocated space after it
        byte[] bytes = Files.readAllBytes(segment(1));
        Files.write(segment(1), concat(Arrays.copyOf(bytes, (int) starts[RECORDS]), withZeros));

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).as("never acknowledged, so nothing is lost").isTrue();
        SegmentReport s = report.segments().get(0);
        assertThat(s.status()).isEqualTo(Status.TORN_TAIL);
        assertThat(s.records()).isEqualTo(RECORDS);
        assertThat(s.size()).isEqualTo(starts[RECORDS] + withZeros.length);
        assertThat(s.problemOffset()).isEqualTo(starts[RECORDS]);
        assertThat(s.problem())
                .isEqualTo("a record whose checksum does not match (9 bytes never acknowledged; the next"
                        + " open keeps a copy and cuts them off)");
        assertThat(s.recordsAfterProblem()).isZero();
        assertThat(report.tornCopies()).isEmpty();

        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("exec")).hasSize(RECORDS);
        }
        Report after = JournalVerifier.verify(dir);
        assertThat(after.segments().get(0).status()).isEqualTo(Status.INTACT);
        assertThat(after.tornCopies())
                .singleElement()
                .satisfies(copy -> assertThat(copy.getFileName().toString()).startsWith(Segment.fileName(1) + ".torn-"))
                .satisfies(copy -> assertThat(Files.readAllBytes(copy)).isEqualTo(torn));
    }

    @Test
    void damageFollowedByAnIntactCommitGroupIsDamageCountingTheRecordsAtRisk() throws IOException {
        long[] starts = writeRecords();
        flipByte(segment(1), starts[2] + 20);

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.problems())
                .as("the damage is the segment's, not the set's")
                .isEmpty();
        SegmentReport s = report.segments().get(0);
        assertThat(s.status()).isEqualTo(Status.DAMAGED);
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.problemOffset()).isEqualTo(starts[2]);
        assertThat(s.problem())
                .isEqualTo("a record whose checksum does not match; an intact commit group ends after it,"
                        + " so acknowledged records may be lost");
        assertThat(s.recordsAfterProblem()).isEqualTo(RECORDS - 3);
        assertThat(report.records()).isEqualTo(2);
    }

    @Test
    void theRecordsAtRiskAfterDamageAreCountedToTheLastByteOfTheFileEvenASmallestPossibleRecord() throws IOException {
        long[] starts = writeRecords();
        flipByte(segment(1), starts[2] + 20);
        byte[] bytes = Files.readAllBytes(segment(1));
        byte[] smallest = RecordCodec.encode(RecordCodec.FORGOTTEN, "", "", new byte[0]);
        assertThat(smallest).hasSize(RecordCodec.MIN_FRAME);
        RecordCodec.seal(smallest, Segment.saltBytes(RecordCodec.getLong(bytes, 20)), true, new CRC32C());
        Files.write(segment(1), concat(Arrays.copyOf(bytes, (int) starts[RECORDS]), smallest));

        SegmentReport s = JournalVerifier.verify(dir).segments().get(0);

        assertThat(s.status()).isEqualTo(Status.DAMAGED);
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.recordsAfterProblem())
                .as("the three after the damaged one, and the smallest")
                .isEqualTo(4);
    }

    @Test
    void aSegmentFileNumberedZeroIsJudgedAsOpenJudgesIt() throws IOException {
        writeRecords();
        Files.copy(segment(1), segment(0));

        Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(
                () -> FileJournal.open(dir).close());
        Report report = JournalVerifier.verify(dir);

        assertThat(refusal)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(segment(0).toString());
        assertThat(report.intact()).isFalse();
        assertThat(report.segments()).extracting(SegmentReport::file).startsWith(segment(0));
        assertThat(report.problems())
                .anySatisfy(p -> assertThat(p).contains(segment(0).toString()));
    }

    @Test
    void tornCopiesAreListedInTheOrderOfTheirNames() throws IOException {
        writeRecords();
        List<Path> copies = new ArrayList<>();
        for (int i : new int[] {7, 2, 11, 0, 5, 9, 1, 10, 4, 8, 3, 6}) { // not created in order
            copies.add(Files.write(
                    dir.resolve(Segment.fileName(1) + ".torn-20261203T1200" + (10 + i) + "Z"), new byte[] {1}));
        }
        copies.sort(null);

        assertThat(JournalVerifier.verify(dir).tornCopies()).containsExactlyElementsOf(copies);
    }

    @Test
    void damageInTheLastRecordAloneIsATornTail() throws IOException {
        long[] starts = writeRecords();
        flipByte(segment(1), starts[RECORDS - 1] + 20);

        SegmentReport s = JournalVerifier.verify(dir).segments().get(0);
        assertThat(s.status()).isEqualTo(Status.TORN_TAIL);
        assertThat(s.records()).isEqualTo(RECORDS - 1);
        assertThat(s.problemOffset()).isEqualTo(starts[RECORDS - 1]);
        assertThat(s.problem())
                .startsWith("a record whose checksum does not match (" + (starts[RECORDS] - starts[RECORDS - 1])
                        + " bytes never acknowledged");
    }

    @Test
    void damageInAnEarlierSegmentIsDamageEvenAtItsEnd() throws IOException {
        int segments = writeSeveralSegments();
        Path first = segment(1);
        byte[] bytes = Files.readAllBytes(first);
        Files.write(first, Arrays.copyOf(bytes, bytes.length - 3));

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        SegmentReport s = report.segments().get(0);
        assertThat(s.status()).isEqualTo(Status.DAMAGED);
        assertThat(s.problem())
                .isEqualTo("the file ends inside a record; a later segment file exists, so acknowledged"
                        + " records may be lost");
        assertThat(s.recordsAfterProblem()).isZero();
        assertThat(s.problemOffset()).isLessThan(bytes.length - 3).isGreaterThan(Segment.HEADER_SIZE);
        assertThat(report.segments().subList(1, segments))
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(Status.INTACT));
    }

    @Test
    void aSegmentWithADamagedHeaderIsDamagedAtOffsetZeroSayingWhy() throws IOException {
        writeRecords();
        flipByte(segment(1), 14); // in the sequence field, covered by the header checksum

        SegmentReport s = JournalVerifier.verify(dir).segments().get(0);
        assertThat(s.status()).isEqualTo(Status.DAMAGED);
        assertThat(s.problemOffset()).isZero();
        assertThat(s.records()).isZero();
        assertThat(s.size()).isEqualTo(Files.size(segment(1)));
        assertThat(s.problem())
                .contains(segment(1).toString())
                .contains("header")
                .contains("damaged");
    }

    @Test
    void aSegmentThatIsASymbolicLinkIsDamagedAndAProblemAndIsNotFollowed() throws IOException {
        writeRecords();
        Path elsewhere = Files.move(segment(1), dir.resolve("elsewhere.bin"));
        Files.createSymbolicLink(segment(1), elsewhere);

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.problems())
                .anySatisfy(p -> assertThat(p).contains(segment(1).toString()).contains("symbolic link"));
        SegmentReport s = report.segments().get(0);
        assertThat(s.status()).isEqualTo(Status.DAMAGED);
        assertThat(s.problem()).isEqualTo("it is a symbolic link, which open refuses");
        assertThat(s.size()).isZero();
    }

    @Test
    void aJournalThatIsOpenCannotBeVerified() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("a", "1", "x"));
            assertThatThrownBy(() -> JournalVerifier.verify(dir)).isInstanceOf(JournalException.class);
        }
        assertThat(JournalVerifier.verify(dir).intact()).isTrue();
    }

    @Test
    void aDamagedManifestIsAProblemAndTheSegmentsAreStillChecked() throws IOException {
        writeSeveralSegments();
        Path manifest = dir.resolve(Manifest.FILE_NAME);
        flipByte(manifest, 20);

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .asString()
                .contains(manifest.toString())
                .contains("damaged");
        assertThat(report.segments()).allSatisfy(s -> assertThat(s.status()).isEqualTo(Status.INTACT));
        assertThat(report.records()).isEqualTo(120);
    }

    @Test
    void withoutAManifestAMissingLastSegmentThatTheSnapshotListsIsAProblem() throws IOException {
        int segments = writeSeveralSegments();
        Files.delete(dir.resolve(Manifest.FILE_NAME));
        assertThat(JournalVerifier.verify(dir).intact())
                .as("a journal from before manifests")
                .isTrue();

        Files.delete(segment(segments));
        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .asString()
                .startsWith(segment(segments) + " is missing: ")
                .contains(IndexSnapshot.FILE_NAME);
    }

    @Test
    void withoutAManifestASegmentMissingBeforeTheLastIsTakenAsCompactedAway() throws IOException {
        int segments = writeSeveralSegments();
        Files.delete(dir.resolve(Manifest.FILE_NAME));
        Files.delete(segment(2)); // as compaction deletes a segment holding only forgotten executions

        Report report = JournalVerifier.verify(dir);

        assertThat(report.problems()).noneMatch(p -> p.contains(" is missing"));
        assertThat(report.segments()).hasSize(segments - 1);
    }

    @Test
    void aSealedSegmentWhoseLastRecordWasRewrittenWithAValidChecksumIsAProblemAsChanged() throws IOException {
        writeSeveralSegments();
        Path second = segment(2);
        byte[] bytes = Files.readAllBytes(second);
        int records = 0;
        int last = Segment.HEADER_SIZE;
        int end = Segment.HEADER_SIZE;
        while (end + RecordCodec.FRAME_HEADER <= bytes.length && RecordCodec.bodyLength(bytes, end) != 0) {
            last = end;
            end += RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(bytes, end);
            records++;
        }
        int body = RecordCodec.bodyLength(bytes, last);
        bytes[last + RecordCodec.FRAME_HEADER + body - 1] = 'z'; // the payload's last letter, from "yyy"
        byte[] salt = Segment.saltBytes(RecordCodec.getLong(bytes, 20));
        RecordCodec.putInt(bytes, last + 4, RecordCodec.checksum(bytes, last, body, salt, new CRC32C()));
        Files.write(second, bytes);

        Report report = JournalVerifier.verify(dir);

        assertThat(report.segments().get(1).status())
                .as("every record checks out")
                .isEqualTo(Status.INTACT);
        assertThat(report.problems())
                .singleElement()
                .asString()
                .isEqualTo("the journal file " + second + " was changed after it was sealed: it holds " + records
                        + " records up to offset " + end + ", but " + Manifest.FILE_NAME
                        + " lists it as a sealed segment of " + records + " records up to offset " + end
                        + " ending in another record");
    }

    @Test
    void aSealedSegmentCutShortAtARecordBoundaryIsAProblemThoughEveryRecordChecksOut() throws IOException {
        writeSeveralSegments();
        Path second = segment(2);
        int kept = 0;
        byte[] bytes = Files.readAllBytes(second);
        int at = Segment.HEADER_SIZE;
        while (kept < 3) {
            at += RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(bytes, at);
            kept++;
        }
        Files.write(second, Arrays.copyOf(bytes, at));

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.segments().get(1).status()).isEqualTo(Status.INTACT);
        assertThat(report.segments().get(1).records()).isEqualTo(3);
        assertThat(report.problems())
                .singleElement()
                .asString()
                .contains(second.toString())
                .contains("was cut short")
                .contains("holds 3 records up to offset " + at);
    }

    @Test
    void anotherGenerationOfASegmentIsOneProblemNotTwo() throws IOException {
        writeSeveralSegments();
        Path second = segment(2);
        byte[] bytes = Files.readAllBytes(second);
        byte[] header = Segment.header(2, 12345L);
        System.arraycopy(header, 0, bytes, 0, header.length); // its records no longer check out with this salt
        Files.write(second, bytes);

        Report report = JournalVerifier.verify(dir);
        assertThat(report.intact()).isFalse();
        assertThat(report.problems())
                .singleElement()
                .asString()
                .contains(second.toString())
                .contains("another generation");
        assertThat(report.segments().get(1).status()).isEqualTo(Status.DAMAGED);
        assertThat(report.segments().get(1).problemOffset()).isEqualTo(Segment.HEADER_SIZE);
    }

    @Test
    void zerosAfterTheRecordsOfTheLastSegmentAreNotDamage() throws IOException {
        long[] starts = writeRecords();
        Files.write(segment(1), new byte[3], StandardOpenOption.APPEND);
        SegmentReport s = JournalVerifier.verify(dir).segments().get(0);
        assertThat(s.status()).isEqualTo(Status.INTACT);
        assertThat(s.records()).isEqualTo(RECORDS);
        assertThat(starts[RECORDS]).isLessThan(s.size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
