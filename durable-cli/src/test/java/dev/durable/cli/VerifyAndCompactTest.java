package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.journal.FileJournalOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndCompactTest {
    private static final String FIRST_SEGMENT = "segment-0000000000000001.log";
    /** Where the first record of a segment starts, after the segment header. */
    private static final int FIRST_RECORD = 32;

    @TempDir
    Path dir;

    @Test
    void verifyReportsEverySegmentAndExits0WhenAllChecksumsMatch() {
        SampleJournal.create(dir);

        Cli r = Cli.on(dir, "verify");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern(FIRST_SEGMENT + "\\s+\\d+\\s+\\d+\\s+INTACT")
                .containsPattern("verified 1 segment, \\d+ records: all checksums match");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verifyFindsADamagedRecordAndExits4NamingFileAndOffset() throws IOException {
        SampleJournal.create(dir);
        flipByte(dir.resolve(FIRST_SEGMENT), FIRST_RECORD + 20);

        Cli r = Cli.on(dir, "verify");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out())
                .containsPattern(FIRST_SEGMENT + "\\s+\\d+\\s+0\\s+DAMAGED")
                .contains("at offset 32: a record whose checksum does not match")
                .containsPattern("\\d+ intact records follow the damage")
                .contains("1 damaged segment");
        assertThat(r.err())
                .startsWith(
                        "error: the journal at " + dir.toRealPath() + " is damaged: " + FIRST_SEGMENT + " at offset 32")
                .contains("Restore the directory from a backup");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void otherCommandsRefuseADamagedJournalWithExitCode4() throws IOException {
        SampleJournal.create(dir);
        flipByte(dir.resolve(FIRST_SEGMENT), FIRST_RECORD + 20);

        Cli r = Cli.on(dir, "list");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err())
                .startsWith("error: the journal file ")
                .contains("is damaged at offset 32")
                .endsWith("(run 'durable verify' for a report of every segment)\n");
    }

    @Test
    void aTornWriteAtTheEndIsReportedButIsNoFailureAndVerifyChangesNothing() throws IOException {
        SampleJournal.create(dir);
        Path segment = dir.resolve(FIRST_SEGMENT);
        long end = endOfRecords(segment);
        // the first bytes of a record whose write never completed: a length, a checksum, a type
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(end);
            f.write(new byte[] {80, 0, 0, 0, 1, 2, 3, 4, 2, 0, 5});
        }
        byte[] before = Files.readAllBytes(segment);

        Cli r = Cli.on(dir, "verify");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern(FIRST_SEGMENT + "\\s+\\d+\\s+\\d+\\s+TORN_TAIL")
                .contains("at offset " + end + ": ")
                .contains("(11 bytes never acknowledged; the next open keeps a copy and cuts them off)")
                .contains("all checksums match");
        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
    }

    @Test
    void compactRemovesExecutionsPastRetentionAndReclaimsSealedSegments() {
        try (LocalRuntime rt = LocalRuntime.builder()
                .directory(dir)
                .journalOptions(FileJournalOptions.defaults().segmentSize(4096))
                .open()) {
            rt.register("echo", String.class, String.class, (in, ctx) -> ctx.step("say", String.class, s -> in + "!"));
            for (int i = 0; i < 40; i++) {
                rt.start("echo", "echo-" + i, "hello " + i).result(Duration.ofSeconds(10));
            }
        }

        Cli kept = Cli.on(dir, "compact");
        assertThat(kept.exitCode()).as(kept.toString()).isZero();
        assertThat(kept.out())
                .startsWith("removed 0 executions that finished before ")
                .endsWith("; reclaimed 0 bytes\n");

        Cli r = Cli.on(dir, "compact", "--retention", "0s");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("removed 40 executions that finished before \\S+; reclaimed [1-9]\\d* bytes");
        assertThat(Cli.on(dir, "list").out()).contains("no executions in");
        assertThat(Cli.on(dir, "verify").exitCode()).isZero();
    }

    @Test
    void verifyFindsAMissingSegmentFileAndExits4NamingIt() throws IOException {
        try (LocalRuntime rt = LocalRuntime.builder()
                .directory(dir)
                .journalOptions(FileJournalOptions.defaults().segmentSize(4096))
                .open()) {
            rt.register("echo", String.class, String.class, (in, ctx) -> ctx.step("say", String.class, s -> in + "!"));
            for (int i = 0; i < 60; i++) {
                rt.start("echo", "echo-" + i, "hello " + i).result(Duration.ofSeconds(10));
            }
        }
        assertThat(dir.resolve("segment-0000000000000002.log"))
                .as("a later segment")
                .exists();
        Files.delete(dir.resolve(FIRST_SEGMENT));

        Cli r = Cli.on(dir, "verify");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out())
                .contains("not whole: " + dir.toRealPath().resolve(FIRST_SEGMENT) + " is missing")
                .contains("all checksums match; but segment files are missing or changed");
        assertThat(r.err())
                .startsWith("error: the journal at " + dir.toRealPath() + " is not whole: ")
                .contains("Restore the directory from a backup");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(Cli.on(dir, "list").exitCode()).as("open refuses it too").isEqualTo(4);
    }

    @Test
    void aRetentionThatIsNotADurationIsAUsageError() {
        SampleJournal.create(dir);

        Cli r = Cli.on(dir, "compact", "--retention", "soon");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'soon' is not a duration");
    }

    /** Where the records of a segment end: zeros after them are space the journal allocated ahead. */
    private static long endOfRecords(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xFF);
        }
    }
}
