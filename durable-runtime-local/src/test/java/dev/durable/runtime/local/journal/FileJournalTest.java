package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    @TempDir
    Path dir;

    static JournalRecord record(String execution, String operation, String payload) {
        return new JournalRecord(RecordType.OPERATION, execution, operation, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBackEachExecutionsRecordsInAppendOrderAfterReopen() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(
                    new JournalRecord(RecordType.EXECUTION_STARTED, "b", "", "{}".getBytes(StandardCharsets.UTF_8)));
            journal.append(record("a", "1", "one"));
            journal.append(record("b", "1", "uno"));
            journal.append(record("a", "2", "two"));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.executionIds()).containsExactly("b", "a");
            assertThat(journal.read("a"))
                    .extracting(JournalRecord::operationId, JournalRecord::payloadText)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("1", "one"),
                            org.assertj.core.groups.Tuple.tuple("2", "two"));
            assertThat(journal.read("b"))
                    .extracting(JournalRecord::type)
                    .containsExactly(RecordType.EXECUTION_STARTED, RecordType.OPERATION);
            assertThat(journal.read("missing")).isEmpty();
            assertThat(journal.first("a").payloadText()).isEqualTo("one");
            assertThat(journal.last("a").payloadText()).isEqualTo("two");
            assertThat(journal.first("b").type()).isEqualTo(RecordType.EXECUTION_STARTED);
            assertThat(journal.last("b").payloadText()).isEqualTo("uno");
            assertThat(journal.first("missing")).isNull();
            assertThat(journal.last("missing")).isNull();
        }
    }

    @Test
    void keepsIdsAndPayloadsExactlyIncludingUnicodeAndEmptyPayloads() {
        JournalRecord odd = new JournalRecord(RecordType.EXECUTION_FINISHED, "commande-été-✓", "2/1/3", new byte[0]);
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(odd);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            JournalRecord back = journal.read("commande-été-✓").get(0);
            assertThat(back.type()).isEqualTo(RecordType.EXECUTION_FINISHED);
            assertThat(back.operationId()).isEqualTo("2/1/3");
            assertThat(back.payload()).isEmpty();
        }
    }

    @Test
    void rollsOverToNewSegmentsAndReadsAcrossThem() {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(4096);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 500; i++) {
                journal.append(record("e" + (i % 3), Integer.toString(i), "payload-" + i));
            }
        }
        try (FileJournal journal = FileJournal.open(dir, small)) {
            assertThat(new Recovery(dir, JournalStorage.DISK).segmentFiles()).hasSizeGreaterThan(3);
            List<JournalRecord> e1 = journal.read("e1");
            assertThat(e1).hasSize(167);
            assertThat(e1.get(166).payloadText()).isEqualTo("payload-499");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recordsLargerThanTheReadAheadAndSmallOnesBetweenThemAreEachReadWhole() {
        List<String> payloads =
                List.of("a".repeat(40_000), "b".repeat(40_000), "c", "d".repeat(70_000), "e".repeat(33_000), "f");
        try (FileJournal journal = FileJournal.open(dir)) {
            for (int i = 0; i < payloads.size(); i++) {
                journal.append(record("big", Integer.toString(i), payloads.get(i)));
                journal.append(record("small", Integer.toString(i), "s" + i));
            }
            assertThat(journal.read("big"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactlyElementsOf(payloads);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("big"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactlyElementsOf(payloads);
            assertThat(journal.read("small"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactly("s0", "s1", "s2", "s3", "s4", "s5");
            assertThat(journal.last("big").payloadText()).isEqualTo("f");
        }
    }

    @Test
    void aRecordOfTheLargestBodyTheJournalTakesIsReadBackWholeAfterReopen() {
        // body = 6 fixed bytes + the ids' bytes + the payload: exactly RecordCodec.MAX_BODY
        byte[] payload = new byte[RecordCodec.MAX_BODY - RecordCodec.BODY_FIXED - "max".length() - "1".length()];
        for (int i = 0; i < payload.length; i += 4096) {
            payload[i] = (byte) (i / 4096);
        }
        payload[payload.length - 1] = 42;
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(new JournalRecord(RecordType.OPERATION, "max", "1", payload));
            journal.append(record("max", "2", "after"));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            List<JournalRecord> back = journal.read("max");
            assertThat(back).hasSize(2);
            assertThat(java.util.Arrays.equals(back.get(0).payload(), payload)).isTrue();
            assertThat(back.get(1).payloadText()).isEqualTo("after");
        }
    }

    @Test
    void aRecordDamagedAfterTheJournalOpenedIsRefusedOnReadNamingTheFileTheOffsetAndTheExecution() throws Exception {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("x", "1", "fine"));
            journal.append(record("x", "2", "DAMAGE-ME"));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            Path segment = new Recovery(dir, JournalStorage.DISK)
                    .segmentFiles()
                    .lastEntry()
                    .getValue();
            byte[] bytes = java.nio.file.Files.readAllBytes(segment);
            int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("DAMAGE-ME");
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), at);
            }
            assertThatThrownBy(() -> journal.read("x"))
                    .isInstanceOf(JournalException.class)
                    .hasMessageStartingWith("the journal file " + segment + " is damaged at offset ")
                    .hasMessageContaining("a record of execution 'x' that was acknowledged: a record whose checksum"
                            + " does not match")
                    .hasMessageContaining("Nothing was read")
                    .hasMessageContaining("durable verify --journal " + dir);
        }
    }

    @Test
    void concurrentAppendsAreAllDurableAndKeepPerExecutionOrder() throws Exception {
        int threads = 16;
        int perThread = 200;
        try (FileJournal journal = FileJournal.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String execution = "exec-" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        journal.append(record(execution, Integer.toString(i), "v" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.executionIds()).hasSize(threads);
            for (int t = 0; t < threads; t++) {
                List<JournalRecord> records = journal.read("exec-" + t);
                assertThat(records).hasSize(perThread);
                for (int i = 0; i < perThread; i++) {
                    assertThat(records.get(i).operationId()).isEqualTo(Integer.toString(i));
                }
            }
        }
    }

    @Test
    void forgottenExecutionsStayForgottenAfterReopen() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("done", "1", "x"));
            journal.append(record("running", "1", "y"));
            journal.forget(List.of("done", "never-existed"));
            assertThat(journal.executionIds()).containsExactly("running");
            assertThat(journal.read("done")).isEmpty();
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.executionIds()).containsExactly("running");
            journal.append(record("done", "1", "again"));
            assertThat(journal.read("done"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactly("again");
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.executionIds()).containsExactly("running", "done");
            assertThat(journal.read("done"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactly("again");
        }
    }

    @Test
    void batchedModeAcknowledgesDurablyToo() {
        FileJournalOptions batched = FileJournalOptions.defaults().durability(Durability.BATCHED);
        try (FileJournal journal = FileJournal.open(dir, batched)) {
            journal.append(record("a", "1", "x"));
        }
        try (FileJournal journal = FileJournal.open(dir, batched)) {
            assertThat(journal.read("a")).hasSize(1);
        }
    }

    @Test
    void memoryDurabilityIsNotAFileJournal() {
        assertThatThrownBy(() ->
                        FileJournal.open(dir, FileJournalOptions.defaults().durability(Durability.MEMORY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemoryJournal");
    }

    @Test
    void anInterruptedThreadCanAppendAndReadWithoutBreakingTheJournalForOthers() {
        try (FileJournal journal = FileJournal.open(dir)) {
            Thread.currentThread().interrupt();
            try {
                journal.append(record("a", "1", "x"));
                assertThat(journal.read("a")).hasSize(1);
                assertThat(Thread.currentThread().isInterrupted())
                        .as("the interrupt is kept for the caller")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            journal.append(record("a", "2", "y"));
            assertThat(journal.read("a")).hasSize(2);
        }
    }

    @Test
    void closingAJournalAgainLeavesTheJournalOpenedAfterItAlone() {
        FileJournal old = FileJournal.open(dir);
        old.append(record("a", "1", "x"));
        old.close();
        try (FileJournal current = FileJournal.open(dir)) {
            current.append(record("a", "2", "y"));

            old.close();

            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessage("the journal in " + dir.toAbsolutePath().normalize()
                            + " is already open in this process; close that runtime or journal before opening it"
                            + " again, or use another directory");
            current.append(record("a", "3", "z"));
            assertThat(current.read("a")).hasSize(3);
        }
        try (FileJournal reopened = FileJournal.open(dir)) {
            assertThat(reopened.read("a")).hasSize(3);
        }
    }

    @Test
    void appendAfterCloseFailsClearly() {
        FileJournal journal = FileJournal.open(dir);
        journal.close();
        assertThatThrownBy(() -> journal.append(record("a", "1", "x")))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
    }

    private static List<Path> segmentFiles(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> Segment.sequenceOf(p.getFileName().toString()) >= 0)
                    .sorted()
                    .toList();
        }
    }

    @Test
    void forgettingOnlyUnknownExecutionsWritesNothingAndTheJournalGoesOn() throws java.io.IOException {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("a", "1", "x"));
            journal.forget(List.of("never-existed", "nor-this"));
            journal.forget(List.of());
            journal.append(record("a", "2", "y"));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).extracting(JournalRecord::payloadText).containsExactly("x", "y");
        }
        assertThat(JournalVerifier.verify(dir).records()).as("no forget marker").isEqualTo(2);
    }

    @Test
    void forgettingAnExecutionTwiceInOneCallForgetsItOnce() {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.append(record("a", "1", "x"));
            journal.append(record("b", "1", "y"));
            journal.forget(List.of("a", "a"));
            assertThat(journal.executionIds()).containsExactly("b");
        }
        assertThat(JournalVerifier.verify(dir).records())
                .as("two records and one marker")
                .isEqualTo(3);
    }

    @Test
    void aSegmentIsFilledUpToItsSizeBeforeTheNextOneStarts() throws java.io.IOException {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(4096);
        // 32 header bytes, then 4064 bytes of records: 16 records of 254 bytes fill the first segment exactly
        String payload = "p".repeat(254 - RecordCodec.MIN_FRAME - 1 - 2);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            for (int i = 0; i < 16; i++) {
                journal.append(record("e", String.format("%02d", i), payload));
            }
            assertThat(RecordCodec.encode(record("e", "00", payload))).hasSize(254);
            assertThat(segmentFiles(dir)).hasSize(1);
            journal.append(record("e", "16", payload));
            assertThat(segmentFiles(dir)).hasSize(2);
        }
        assertThat(java.nio.file.Files.size(segmentFiles(dir).get(0)))
                .as("sealed: cut to its records")
                .isEqualTo(4096);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            assertThat(journal.read("e")).hasSize(17);
        }
    }

    @Test
    void aRecordLargerThanASegmentGetsOneOfItsOwn() throws java.io.IOException {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(4096);
        String big = "b".repeat(10_000);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            journal.append(record("e", "1", big));
            journal.append(record("e", "2", big));
            journal.append(record("e", "3", "small"));
        }
        List<Path> segments = segmentFiles(dir);
        assertThat(segments).hasSize(3);
        int bigFrame = RecordCodec.encode(record("e", "1", big)).length;
        assertThat(java.nio.file.Files.size(segments.get(0))).isEqualTo(Segment.HEADER_SIZE + bigFrame);
        assertThat(java.nio.file.Files.size(segments.get(1))).isEqualTo(Segment.HEADER_SIZE + bigFrame);
        try (FileJournal journal = FileJournal.open(dir, small)) {
            assertThat(journal.read("e")).extracting(JournalRecord::operationId).containsExactly("1", "2", "3");
            assertThat(journal.last("e").payloadText()).isEqualTo("small");
        }
    }

    @Test
    void forgettingASmallPartOfTheJournalLeavesItsSegmentsAlone() throws Exception {
        FileJournalOptions automatic =
                FileJournalOptions.defaults().segmentSize(4096).automaticCompaction(true);
        try (FileJournal journal = FileJournal.open(dir, automatic)) {
            for (int i = 0; i < 200; i++) {
                journal.append(record(i % 10 == 0 ? "small" : "large", Integer.toString(i), "payload " + i));
            }
            List<Path> before = segmentFiles(dir);
            byte[] first = java.nio.file.Files.readAllBytes(before.get(0));
            journal.forget(List.of("small"));
            journal.awaitMaintenance();
            assertThat(segmentFiles(dir)).isEqualTo(before);
            assertThat(java.nio.file.Files.readAllBytes(before.get(0)))
                    .as("not rewritten")
                    .isEqualTo(first);
            assertThat(journal.compact())
                    .as("compacting on request still reclaims it")
                    .isPositive();
        }
    }

    @Test
    void aClosedJournalRefusesReadsForgetsAndCompaction() {
        FileJournal journal = FileJournal.open(dir);
        journal.append(record("a", "1", "x"));
        journal.close();
        journal.close(); // twice is fine
        assertThatThrownBy(() -> journal.read("a"))
                .isInstanceOf(JournalException.class)
                .hasMessage(
                        "the journal in " + dir.toAbsolutePath().normalize() + " is closed; open it again to continue");
        assertThatThrownBy(() -> journal.forget(List.of("a"))).hasMessageContaining("is closed");
        assertThatThrownBy(journal::compact).hasMessageContaining("is closed");
        assertThatThrownBy(() -> journal.first("a")).hasMessageContaining("is closed");
    }

    @Test
    void theOptionsAndDirectoryItWasOpenedWithAreReported() {
        FileJournalOptions small = FileJournalOptions.defaults().segmentSize(8192);
        try (FileJournal journal = FileJournal.open(dir.resolve("sub/../journal"), small)) {
            assertThat(journal.directory()).isEqualTo(dir.resolve("journal").toAbsolutePath());
            assertThat(journal.options()).isSameAs(small);
            assertThat(journal.readOnly()).isFalse();
        }
    }

    @Test
    void readsBackRecordsOfEverySizeWhetherCloseTogetherOrFarApart() {
        java.util.Random random = new java.util.Random(20261202);
        java.util.Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        FileJournalOptions options = FileJournalOptions.defaults().segmentSize(1 << 20);
        try (FileJournal journal = FileJournal.open(dir, options)) {
            for (int i = 0; i < 400; i++) {
                String execution = "e" + (i % 7 == 0 ? 0 : random.nextInt(5) + 1);
                int size = switch (i % 5) {
                    case 0 -> random.nextInt(40_000);
                    case 1 -> 100_000 + random.nextInt(100);
                    default -> random.nextInt(300);
                };
                String payload = i + ":" + "v".repeat(size);
                journal.append(record(execution, Integer.toString(i), payload));
                expected.computeIfAbsent(execution, k -> new ArrayList<>()).add(payload);
            }
            assertRecords(journal, expected);
        }
        try (FileJournal journal = FileJournal.open(dir, options)) {
            assertRecords(journal, expected);
        }
    }

    private static void assertRecords(FileJournal journal, java.util.Map<String, List<String>> expected) {
        for (var e : expected.entrySet()) {
            assertThat(journal.read(e.getKey()))
                    .extracting(JournalRecord::payloadText)
                    .as(e.getKey())
                    .containsExactlyElementsOf(e.getValue());
            assertThat(journal.first(e.getKey()).payloadText())
                    .isEqualTo(e.getValue().get(0));
            assertThat(journal.last(e.getKey()).payloadText())
                    .isEqualTo(e.getValue().get(e.getValue().size() - 1));
        }
    }

    @Test
    void aJournalClosedOnOneThreadRefusesReadsAndCompactionOnAnother() throws Exception {
        FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().automaticCompaction(false));
        journal.append(record("a", "1", "x"));
        journal.close();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> read = other.submit(() -> journal.read("a"));
            Future<?> compact = other.submit(journal::compact);
            assertThatThrownBy(() -> read.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(JournalException.class);
            assertThatThrownBy(() -> compact.get(1, TimeUnit.MINUTES))
                    .hasCauseInstanceOf(JournalException.class)
                    .hasMessageContaining("closed");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void compactingAndClosingOnAnInterruptedThreadKeepTheInterruptAndStillWork() {
        try (FileJournal journal =
                FileJournal.open(dir, FileJournalOptions.defaults().automaticCompaction(false))) {
            journal.append(record("a", "1", "x"));
            Thread.currentThread().interrupt();
            assertThat(journal.compact()).isZero();
            assertThat(Thread.interrupted())
                    .as("still interrupted after compact()")
                    .isTrue();
            Thread.currentThread().interrupt();
            journal.close();
            assertThat(Thread.interrupted())
                    .as("still interrupted after close()")
                    .isTrue();
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).hasSize(1);
        }
    }

    @Test
    void aJournalLeftOpenDoesNotKeepTheJvmRunning() throws Exception {
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.awaitMaintenance(); // the maintenance thread exists once it has had work
            String name = "durable-journal-maintenance " + dir.getFileName();
            List<Thread> maintenance = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(name))
                    .toList();
            assertThat(maintenance).isNotEmpty().allMatch(Thread::isDaemon);
        }
    }
}
