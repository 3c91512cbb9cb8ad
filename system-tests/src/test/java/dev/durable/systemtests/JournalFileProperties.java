package dev.durable.systemtests;

import static dev.durable.systemtests.JournalFiles.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.durable.JournalException;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The record format, through the files of a real {@link FileJournal}: random records (ids in any script, any
 * payload bytes, empty ones too) read back exactly; any single flipped bit is detected, and reported with the file
 * and the offset of the damaged record unless it is in the last record, where it cannot be told from a torn write
 * and is cut off with a copy kept; after a crash, a cut anywhere in the last segment is a torn tail that loses only
 * the records it cuts, and any cut in an earlier segment is refused, between two records too (the manifest lists
 * what each sealed segment holds); after a clean close (with its index snapshot) any cut is refused. (The journal module's own tests cover fixed cases: every cut
 * in the last three records, a flip in the middle, zeroed tails.)
 */
class JournalFileProperties {
    private static final FileJournalOptions SMALL_SEGMENTS =
            FileJournalOptions.defaults().segmentSize(4096);

    @Provide
    Arbitrary<List<JournalRecord>> records() {
        return recordsOf(1, 25);
    }

    @Provide
    Arbitrary<List<JournalRecord>> manyRecords() {
        return recordsOf(30, 90);
    }

    private static Arbitrary<List<JournalRecord>> recordsOf(int min, int max) {
        Arbitrary<String> executions = Arbitraries.oneOf(
                Arbitraries.of("order-1", "commande-été", "注文-✓", "a/7"),
                Arbitraries.strings()
                        .withCharRange('!', '\uD7FF')
                        .ofMinLength(1)
                        .ofMaxLength(12));
        Arbitrary<String> operations = Arbitraries.of("", "1", "2", "2/1", "10/3/7");
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Combinators.combine(Arbitraries.of(RecordType.class), executions, operations, payloads)
                .as(JournalRecord::new)
                .list()
                .ofMinSize(min)
                .ofMaxSize(max);
    }

    @Property(tries = 40)
    void everyRecordReadsBackExactlyAfterReopen(@ForAll("records") List<JournalRecord> records) throws IOException {
        try (JournalFiles.TempDir dir = JournalFiles.tempDir()) {
            append(dir.path(), FileJournalOptions.defaults(), records);
            try (FileJournal journal = FileJournal.open(dir.path())) {
                assertThat(journal.executionIds())
                        .containsExactlyElementsOf(new LinkedHashSet<>(
                                records.stream().map(JournalRecord::executionId).toList()));
                List<String> readBack = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (String execution : journal.executionIds()) {
                    journal.read(execution).forEach(r -> readBack.add(text(r)));
                    records.stream()
                            .filter(r -> r.executionId().equals(execution))
                            .forEach(r -> expected.add(text(r)));
                }
                assertThat(readBack).containsExactlyElementsOf(expected);
            }
        }
    }

    @Property(tries = 80)
    void anySingleFlippedBitIsReportedWithFileAndOffsetOrCutOffWithACopyWhenInTheLastRecord(
            @ForAll("records") List<JournalRecord> records,
            @ForAll @IntRange(min = 0, max = 1 << 20) int position,
            @ForAll @IntRange(min = 0, max = 7) int bit)
            throws IOException {
        try (JournalFiles.TempDir dir = JournalFiles.tempDir()) {
            append(dir.path(), FileJournalOptions.defaults(), records);
            Path segment = JournalFiles.segments(dir.path()).get(0);
            byte[] damaged = Files.readAllBytes(segment);
            List<Integer> boundaries = JournalFiles.boundaries(damaged);
            int end = boundaries.get(boundaries.size() - 1);
            int lastRecord = boundaries.get(boundaries.size() - 2);
            int offset = position % end;
            damaged[offset] ^= (byte) (1 << bit);
            Files.write(segment, damaged);

            FileJournal journal = null;
            JournalException refused = null;
            try {
                journal = FileJournal.open(dir.path());
            } catch (JournalException e) {
                refused = e;
            }
            if (refused != null) {
                assertThat(refused).hasMessageContaining(segment.toString());
                if (offset >= HEADER) {
                    assertThat(refused).hasMessageContaining("offset " + recordStart(boundaries, offset));
                }
                assertThat(Files.readAllBytes(segment))
                        .as("nothing was truncated")
                        .isEqualTo(damaged);
                assertThat(JournalFiles.tornCopies(dir.path())).isEmpty();
                return;
            }
            try (FileJournal opened = journal) {
                assertThat(offset).as("only damage in the last record opens").isGreaterThanOrEqualTo(lastRecord);
                assertThat(readAll(opened)).containsExactlyElementsOf(texts(records.subList(0, records.size() - 1)));
            }
            assertThat(JournalFiles.tornCopies(dir.path()))
                    .singleElement()
                    .satisfies(copy -> assertThat(Files.readAllBytes(copy))
                            .isEqualTo(withoutTrailingZeros(damaged, lastRecord, end)));
        }
    }

    @Property(tries = 40)
    void aCutInTheLastSegmentAfterACrashIsATornTailAndAnyOtherCutIsRefused(
            @ForAll("manyRecords") List<JournalRecord> records,
            @ForAll @IntRange(min = 0, max = 1000) int which,
            @ForAll @IntRange(min = 0, max = 1 << 20) int position)
            throws IOException {
        try (JournalFiles.TempDir dir = JournalFiles.tempDir()) {
            Path closed = dir.path().resolve("closed");
            append(closed, SMALL_SEGMENTS, records);
            // as a process killed before it saved an index snapshot leaves it: the segments only
            Path crashed = JournalFiles.copyWithoutSnapshot(closed, dir.path().resolve("crashed"));
            List<Path> segments = JournalFiles.segments(crashed);
            int cutSegment = which % segments.size();
            boolean last = cutSegment == segments.size() - 1;
            byte[] bytes = Files.readAllBytes(segments.get(cutSegment));
            List<Integer> boundaries = JournalFiles.boundaries(bytes);
            int end = boundaries.get(boundaries.size() - 1);
            int cut = HEADER + position % (end - HEADER);
            int recordsBefore = 0;
            for (Path earlier : segments.subList(0, cutSegment)) {
                recordsBefore +=
                        JournalFiles.boundaries(Files.readAllBytes(earlier)).size() - 1;
            }

            Path closedSegment = closed.resolve(segments.get(cutSegment).getFileName());
            Files.write(closedSegment, Arrays.copyOf(bytes, cut));
            assertThat(catchThrowable(
                            () -> FileJournal.open(closed, SMALL_SEGMENTS).close()))
                    .as("the index snapshot saved at close covers every acknowledged record")
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(closedSegment.toString());

            Path segment = segments.get(cutSegment);
            Files.write(segment, Arrays.copyOf(bytes, cut));
            if (!last) {
                assertThat(catchThrowable(
                                () -> FileJournal.open(crashed, SMALL_SEGMENTS).close()))
                        .isInstanceOf(JournalException.class)
                        .hasMessageContaining(segment.toString())
                        .hasMessageContaining("offset " + recordStart(boundaries, cut));
                assertThat(Files.size(segment)).as("nothing was truncated").isEqualTo(cut);
                return;
            }
            int kept = (int) boundaries.stream().filter(b -> b <= cut).count() - 1;
            try (FileJournal journal = FileJournal.open(crashed, SMALL_SEGMENTS)) {
                assertThat(readAll(journal)).containsExactlyElementsOf(texts(records.subList(0, recordsBefore + kept)));
            }
            byte[] removed = withoutTrailingZeros(bytes, boundaries.get(kept), cut);
            if (removed.length == 0) {
                assertThat(JournalFiles.tornCopies(crashed)).isEmpty();
            } else {
                assertThat(JournalFiles.tornCopies(crashed))
                        .singleElement()
                        .satisfies(copy -> assertThat(Files.readAllBytes(copy)).isEqualTo(removed));
            }
        }
    }

    private static void append(Path dir, FileJournalOptions options, List<JournalRecord> records) {
        try (FileJournal journal = FileJournal.open(dir, options)) {
            records.forEach(journal::append);
        }
    }

    private static int recordStart(List<Integer> boundaries, int offset) {
        int start = boundaries.get(0);
        for (int b : boundaries) {
            if (b <= offset) {
                start = b;
            }
        }
        return start;
    }

    private static byte[] withoutTrailingZeros(byte[] bytes, int from, int to) {
        int end = to;
        while (end > from && bytes[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOfRange(bytes, from, end);
    }

    /** Every record in file order: executions in order of first appearance, each in append order. */
    private static List<String> readAll(FileJournal journal) {
        List<String> all = new ArrayList<>();
        for (String execution : journal.executionIds()) {
            journal.read(execution).forEach(r -> all.add(text(r)));
        }
        return all;
    }

    /** {@code records} in the order {@link #readAll} returns them. */
    private static List<String> texts(List<JournalRecord> records) {
        List<String> all = new ArrayList<>();
        for (String execution : new LinkedHashSet<>(
                records.stream().map(JournalRecord::executionId).toList())) {
            records.stream().filter(r -> r.executionId().equals(execution)).forEach(r -> all.add(text(r)));
        }
        return all;
    }

    private static String text(JournalRecord r) {
        return r.type() + " " + r.executionId() + " " + r.operationId() + " "
                + Base64.getEncoder().encodeToString(r.payload());
    }
}
