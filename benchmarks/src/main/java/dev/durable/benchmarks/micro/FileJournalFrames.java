package dev.durable.benchmarks.micro;

import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.runtime.local.journal.JournalStorage;
import dev.durable.runtime.local.journal.StorageFile;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The file journal's on-disk record frames, written and read through {@link FileJournal} with {@code force} turned
 * off, so that the disk's sync time (which the harness measures) does not drown the CPU cost.
 *
 * <p>The frame codec itself ({@code RecordCodec}: the frame header, the CRC-32C over the segment's salt and the body,
 * the ids and the payload) is package-private to {@code dev.durable.runtime.local.journal}, so it is measured through
 * the journal's public API, with the record of a step that succeeded ({@link JournalRecordCodec}'s: a payload of 168
 * bytes, a frame of about 190):
 *
 * <ul>
 *   <li>{@link #append}: one {@link FileJournal#append}: the record encoded into a frame, sealed with its checksum
 *       in a commit group of one (a single thread appends), and written to the segment file, into the page cache;
 *       no {@code force}.
 *   <li>{@link #read}: {@link FileJournal#read} of an execution of {@value #RECORDS} records, per record: looking
 *       them up in the index, reading them from the page cache in one positional read, checking each frame's
 *       length, checksum and type, and decoding it into a {@link JournalRecord}.
 * </ul>
 *
 * <p>Each iteration of {@code append} starts on a new journal (its first segment of 64 MiB preallocated, as usual)
 * and deletes it afterwards. The journals are made in {@code java.io.tmpdir}; pass {@code -jvmArgsAppend
 * -Djava.io.tmpdir=/dev/shm} to keep them off the disk altogether.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar micro FileJournalFrames}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FileJournalFrames {
    /** Records of the execution that {@link #read} reads. */
    static final int RECORDS = 100;

    /** Executions the appended records take turns in. */
    static final int EXECUTIONS = 64;

    /** A new journal for each iteration, and the records to append to it. */
    @State(Scope.Benchmark)
    public static class Appending {
        JournalRecord[] records;
        Path directory;
        FileJournal journal;
        int next;

        @Setup(Level.Trial)
        public void prepare() {
            records = new JournalRecord[EXECUTIONS];
            for (int i = 0; i < EXECUTIONS; i++) {
                records[i] = stepRecord("order-" + i, i);
            }
        }

        @Setup(Level.Iteration)
        public void open() throws IOException {
            directory = Files.createTempDirectory("durable-micro-append");
            journal = openJournal(directory);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            journal.close();
            deleteTree(directory);
        }
    }

    /** A journal holding one execution of {@value #RECORDS} records. */
    @State(Scope.Benchmark)
    public static class Reading {
        static final String EXECUTION = "order-read";
        Path directory;
        FileJournal journal;

        @Setup(Level.Trial)
        public void open() throws IOException {
            directory = Files.createTempDirectory("durable-micro-read");
            journal = openJournal(directory);
            for (int i = 0; i < RECORDS; i++) {
                journal.append(stepRecord(EXECUTION, i));
            }
            if (journal.read(EXECUTION).size() != RECORDS) {
                throw new IllegalStateException("the journal in " + directory + " does not read back");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            journal.close();
            deleteTree(directory);
        }
    }

    /** One record appended: framed, checksummed and written, without {@code force}. */
    @Benchmark
    public void append(Appending s) {
        s.journal.append(s.records[s.next++ & (EXECUTIONS - 1)]);
    }

    /** An execution of {@value #RECORDS} records read back; the score is per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public List<JournalRecord> read(Reading s) {
        return s.journal.read(Reading.EXECUTION);
    }

    /** The record of the {@code SUCCEEDED} event of operation {@code n + 1} of {@code execution}. */
    static JournalRecord stepRecord(String execution, int n) {
        return EventCodec.operation(
                execution,
                Integer.toString(n + 1),
                JournalRecordCodec.succeeded("{\"sku\":\"ABC-12345\",\"quantity\":3,\"reserved\":true}"));
    }

    static FileJournal openJournal(Path directory) {
        return FileJournal.open(directory, FileJournalOptions.defaults().storage(new WithoutForce()));
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The real files, except that {@code force} returns at once: writes stay in the page cache. */
    static final class WithoutForce implements JournalStorage {
        @Override
        public StorageFile open(Path file, boolean create) throws IOException {
            return new Unforced(JournalStorage.DISK.open(file, create));
        }

        @Override
        public void forceDirectory(Path dir) {}
    }

    /** A file whose {@code force} does nothing. */
    static final class Unforced implements StorageFile {
        private final StorageFile file;

        Unforced(StorageFile file) {
            this.file = file;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public void force(boolean metaData) {}

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            file.truncate(size);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
