package dev.durable.runtime.local.journal;

import dev.durable.core.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a journal directory and rebuilds the index from them.
 *
 * <p>Rules. The first record that does not check out ends the valid data of its segment. In the last segment that is
 * a torn write, the tail of a commit group whose {@code force} never returned, if no intact end of a commit group
 * follows it: a copy of the removed bytes is kept as {@code <segment>.torn-<time>}, then the segment is truncated
 * there and forced. Zero bytes after the last record are unwritten space, not damage. Anything else (damage in an
 * earlier segment, or damage followed by an intact group end) would drop acknowledged history, so the open is
 * refused with the file and offset.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final JournalStorage storage;

    Recovery(Path directory, JournalStorage storage) {
        this.directory = directory;
        this.storage = storage;
    }

    /** The segment files of the directory by sequence. */
    TreeMap<Long, Path> segmentFiles() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        for (Path file : storage.list(directory)) {
            long sequence = Segment.sequenceOf(file.getFileName().toString());
            if (sequence >= 0) {
                files.put(sequence, file);
            }
        }
        return files;
    }

    /**
     * Opens every segment and feeds its records to {@code index}, skipping what a snapshot already covers.
     */
    List<Segment> open(ExecutionIndex index, SnapshotCoverage coverage) throws IOException {
        TreeMap<Long, Path> files = segmentFiles();
        List<Segment> segments = new ArrayList<>();
        try {
            for (var entry : files.entrySet()) {
                long sequence = entry.getKey();
                Path path = entry.getValue();
                boolean last = sequence == files.lastKey();
                StorageFile file = storage.open(path, false);
                Segment segment;
                try {
                    long salt = Segment.readHeader(file, path, sequence);
                    segment = new Segment(sequence, salt, path, file, Segment.HEADER_SIZE);
                } catch (RuntimeException | IOException e) {
                    file.close();
                    throw e;
                }
                segments.add(segment);
                SegmentScanner.End end = SegmentScanner.scan(file, coverage.resumeOffset(segment), segment.saltBytes, (buf, offset, at) ->
                        index.apply(RecordCodec.type(buf, offset), RecordCodec.executionId(buf, offset),
                                Segment.position(sequence, at)));
                segment.end = end.offset();
                if (!end.clean()) {
                    if (!last) {
                        throw damaged(path, end, "a later segment file exists, so this is not an interrupted write");
                    }
                    repairTornTail(segment, end);
                }
            }
            return segments;
        } catch (RuntimeException | IOException e) {
            for (Segment s : segments) {
                closeQuietly(s.file);
            }
            throw e;
        }
    }

    private void repairTornTail(Segment segment, SegmentScanner.End end) throws IOException {
        StorageFile file = segment.file;
        long size = file.size();
        byte[] tail = SegmentScanner.readRange(file, end.offset(), size);
        if (RecordCodec.isZero(tail, 0, tail.length)) {
            return; // unwritten space, nothing torn
        }
        CRC32C crc = new CRC32C();
        for (int p = 1; p + RecordCodec.MIN_FRAME <= tail.length; p++) {
            if (RecordCodec.check(tail, p, tail.length, segment.saltBytes, crc) > 0 && RecordCodec.isGroupEnd(tail, p)) {
                throw damaged(segment.path, end, "an intact commit group ends at offset " + (end.offset() + p)
                        + " after it, so acknowledged records may be in the damaged range");
            }
        }
        Path copy = tornCopyName(segment.path);
        try (StorageFile out = storage.open(copy, true)) {
            out.writeFully(ByteBuffer.wrap(tail), 0);
            out.force(true);
        }
        storage.forceDirectory(directory);
        file.truncate(end.offset());
        file.force(true);
        log.warn("The journal segment {} ended in a torn write ({} at offset {}): {} bytes of records that were never"
                        + " acknowledged were removed; a copy is kept in {}", segment.path,
                RecordCodec.describe(end.reason()), end.offset(), tail.length, copy);
    }

    private Path tornCopyName(Path segment) throws IOException {
        String base = segment.getFileName() + ".torn-" + STAMP.format(Instant.now());
        Path copy = segment.resolveSibling(base);
        List<Path> existing = storage.list(directory);
        for (int i = 1; existing.contains(copy); i++) {
            copy = segment.resolveSibling(base + "-" + i);
        }
        return copy;
    }

    static JournalException damaged(Path path, SegmentScanner.End end, String why) {
        return new JournalException("the journal file " + path + " is damaged at offset " + end.offset() + ": "
                + RecordCodec.describe(end.reason()) + ", and " + why + ". Refusing to open rather than lose"
                + " acknowledged history. Restore the journal directory from a backup; or, to give up the records"
                + " from that offset on, copy the file aside and truncate it to " + end.offset() + " bytes"
                + " (later segment files, if any, must then be moved out too)");
    }

    static void closeQuietly(StorageFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // already failing or closing
        }
    }

    /** Where scanning of a segment starts: after what an index snapshot already covers. */
    interface SnapshotCoverage {
        SnapshotCoverage NONE = segment -> Segment.HEADER_SIZE;

        long resumeOffset(Segment segment);
    }
}
