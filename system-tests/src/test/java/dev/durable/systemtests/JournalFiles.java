package dev.durable.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The journal's files as its documented on-disk format lays them out: segment files {@code segment-<16 hex>.log},
 * a 32-byte header, then frames of {@code u32 body length, u32 checksum, body} (little-endian) up to the first
 * zero length (space reserved ahead of the records); {@code journal.manifest} lists the segments. For tests that cut
 * and damage files at record boundaries.
 */
final class JournalFiles {
    static final int HEADER = 32;
    private static final int FRAME_HEADER = 8;

    private JournalFiles() {}

    /** The segment files of a journal directory, oldest first. */
    static List<Path> segments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\p{XDigit}{16}\\.log"))
                    .sorted(Comparator.comparing(Path::getFileName))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each record of {@code bytes} (a whole segment file) starts, and, as the last element, where they end. */
    static List<Integer> boundaries(byte[] bytes) {
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> boundaries = new ArrayList<>();
        int at = HEADER;
        while (at + FRAME_HEADER <= bytes.length && le.getInt(at) != 0) {
            boundaries.add(at);
            at += FRAME_HEADER + le.getInt(at);
        }
        boundaries.add(at);
        return boundaries;
    }

    /**
     * Writes the beginning of one more record after the last one of the last segment (its length, a checksum and a few
     * bytes of its body): what a power cut in the middle of the next write leaves, a torn tail. A SIGKILL hardly ever
     * leaves one: each commit group is written in one call, which the kernel completes.
     */
    static void tearTheNextWrite(Path dir) throws IOException {
        List<Path> segments = segments(dir);
        Path last = segments.get(segments.size() - 1);
        List<Integer> boundaries = boundaries(Files.readAllBytes(last));
        ByteBuffer partial = ByteBuffer.allocate(FRAME_HEADER + 16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(64)
                .putInt(0x5EED5EED);
        while (partial.hasRemaining()) {
            partial.put((byte) 0x5A);
        }
        try (FileChannel file = FileChannel.open(last, StandardOpenOption.WRITE)) {
            file.write(partial.flip(), boundaries.get(boundaries.size() - 1));
        }
    }

    /**
     * Copies the segment files and the manifest of {@code from} into a new directory {@code to}, leaving the lock and
     * the index snapshot behind: what a process killed before it saved a snapshot leaves.
     */
    static Path copyWithoutSnapshot(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path segment : segments(from)) {
            Files.copy(segment, to.resolve(segment.getFileName()));
        }
        Files.copy(from.resolve("journal.manifest"), to.resolve("journal.manifest"));
        return to;
    }

    /** The files whose name says recovery cut them off a torn tail. */
    static List<Path> tornCopies(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".torn-"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory, deleted with everything in it when closed. */
    static TempDir tempDir() {
        try {
            return new TempDir(Files.createTempDirectory("durable-system-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A temporary directory for one property try (jqwik has no {@code @TempDir}). */
    record TempDir(Path path) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
