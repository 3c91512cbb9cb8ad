package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written before record payloads were binary: every payload JSON, the manifest at format version 1. It opens,
 * its executions resume where they were (what they completed is replayed from the JSON records, not run again), and
 * from then on the journal is at format version 2.
 */
class JsonPayloadJournalTest {
    @TempDir
    Path tmp;

    private final AtomicInteger charged = new AtomicInteger();
    private final AtomicInteger shipped = new AtomicInteger();

    private void register(LocalRuntime rt) {
        rt.register("order", String.class, String.class, (id, ctx) -> {
            String receipt = ctx.step("charge", String.class, s -> "receipt-" + id + "-" + charged.incrementAndGet());
            ctx.wait("cool-off", Duration.ofHours(1));
            return ctx.step("ship", String.class, s -> receipt + " shipped " + shipped.incrementAndGet());
        });
    }

    /** Copies the journal in {@code from} to {@code to} with every payload as the JSON earlier versions wrote. */
    private static void rewriteAsJson(Path from, Path to) throws IOException {
        try (FileJournal binary = FileJournal.openReadOnly(from);
                FileJournal json = FileJournal.open(to)) {
            for (String id : binary.executionIds()) {
                for (JournalRecord r : binary.read(id)) {
                    Object event = r.type() == RecordType.OPERATION
                            ? EventCodec.readOperation(r)
                            : r.type() == RecordType.EXECUTION_SUSPENDED
                                    ? EventCodec.readSuspended(r)
                                    : EventCodec.readExecution(r);
                    json.append(new JournalRecord(r.type(), r.executionId(), r.operationId(), EventCodec.write(event)));
                }
            }
        }
        Path manifest = to.resolve(Manifest.FILE_NAME);
        byte[] bytes = Files.readAllBytes(manifest);
        byte[] body = Arrays.copyOf(bytes, bytes.length - 4);
        RecordCodec.putInt(body, 8, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body);
        Files.write(manifest, MetadataFile.withChecksum(out));
    }

    private static String segments(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Test
    void anExecutionJournaledAsJsonResumesWithoutRunningWhatItCompleted() throws Exception {
        ManualClock clock = new ManualClock();
        Path written = tmp.resolve("written");
        try (LocalRuntime rt =
                LocalRuntime.builder().directory(written).clock(clock).open()) {
            register(rt);
            rt.start("order", "o-1", "42");
            rt.awaitIdle(Duration.ofSeconds(10));
        }
        Path old = tmp.resolve("old");
        rewriteAsJson(written, old);
        assertThat(segments(old)).contains("\"function\":\"order\"").contains("\"name\":\"charge\"");

        try (LocalRuntime rt =
                LocalRuntime.builder().directory(old).clock(clock).open()) {
            register(rt);
            clock.advance(Duration.ofHours(1));
            assertThat(rt.<String>execution("o-1").result(Duration.ofSeconds(10)))
                    .isEqualTo("receipt-42-1 shipped 1");
        }
        assertThat(charged).as("charge ran before the rewrite only").hasValue(1);
        assertThat(shipped).hasValue(1);

        byte[] manifest = Files.readAllBytes(old.resolve(Manifest.FILE_NAME));
        assertThat(RecordCodec.getInt(manifest, 8))
                .as("manifest format version")
                .isEqualTo(2);
        try (FileJournal journal = FileJournal.openReadOnly(old)) {
            assertThat(journal.read("o-1"))
                    .extracting(JournalRecord::payloadText)
                    .allMatch(text -> text.startsWith("{"))
                    .anyMatch(text -> text.contains("\"name\":\"ship\""));
        }
    }
}
