package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * there and forced. Zero bytes from there to the end of a file are preallocated, unwritten space, not damage. Anything else (damage in an
 * earlier segment, or damage followed by an intact group end) would drop acknowledged history, so the open is
 * refused with the file and offset.
 *
 * <p>The {@link Manifest} says which segment files there must be. One it lists that is missing, a sealed one that holds
 * other records than it lists (fewer, most likely: cut short at a record boundary), one of another generation, an
 * unlisted one among listed ones, or a gap among the segments after the last listed one: each refuses the open. A
 * journal without a manifest (written before there were manifests) is checked against its index snapshot only: a
 * segment the snapshot lists is missing while no later one exists (compaction never removes the segment being
 * appended to, so it did not remove this one).
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final JournalStorage storage;
    /** Reads only: completes no interrupted change and repairs no torn tail, but judges the files as if it had. */
    private final boolean readOnly;

    Recovery(Path directory, JournalStorage storage) {
        this(directory, storage, false);
    }

    Recovery(Path directory, JournalStorage storage, boolean readOnly) {
        this.directory = directory;
        this.storage = storage;
        this.readOnly = readOnly;
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
     * What compaction left half done when a crash interrupted it, and open completes: new generations of segments
     * that {@code manifest} already lists, to be renamed over the old ones (temporary file to segment file), and
     * segments it no longer lists, to be deleted.
     */
    record InterruptedChanges(Map<Path, Path> renames, List<Path> deletions) {
        boolean isEmpty() {
            return renames.isEmpty() && deletions.isEmpty();
        }
    }

    InterruptedChanges interruptedChanges(Manifest manifest, List<Path> listing) throws IOException {
        Map<Path, Path> renames = new HashMap<>();
        List<Path> deletions = new ArrayList<>();
        if (manifest != null) {
            for (Manifest.Entry e : manifest.segments().values()) {
                Path target = directory.resolve(Segment.fileName(e.sequence()));
                Path rewritten = directory.resolve(Segment.rewriteFileName(e.sequence()));
                if (listing.contains(rewritten)
                        && hasSalt(rewritten, e.sequence(), e.salt())
                        && !(listing.contains(target) && hasSalt(target, e.sequence(), e.salt()))) {
                    renames.put(rewritten, target);
                }
            }
            for (Map.Entry<Long, Long> r : manifest.removed().entrySet()) {
                Path file = directory.resolve(Segment.fileName(r.getKey()));
                if (listing.contains(file) && hasSalt(file, r.getKey(), r.getValue())) {
                    deletions.add(file);
                }
            }
        }
        return new InterruptedChanges(renames, deletions);
    }

    /**
     * Completes what a crash cut short, before anything is read (see {@link #interruptedChanges}), then deletes
     * temporary files that never got their final name.
     */
    void finishInterruptedChanges(Manifest manifest) throws IOException {
        List<Path> listing = storage.list(directory);
        InterruptedChanges changes = interruptedChanges(manifest, listing);
        for (Map.Entry<Path, Path> rename : changes.renames().entrySet()) {
            storage.move(rename.getKey(), rename.getValue());
            log.info("Completed the compaction of {} that a crash interrupted", rename.getValue());
        }
        for (Path file : changes.deletions()) {
            storage.delete(file);
            log.info("Deleted {}, which compaction had removed from the journal when a crash interrupted it", file);
        }
        for (Path file : listing) {
            if (file.getFileName().toString().endsWith(".tmp")) {
                storage.delete(file); // a segment made ahead of a roll, a rewrite or metadata that never got its name
            }
        }
        if (!changes.isEmpty()) {
            storage.forceDirectory(directory);
        }
    }

    /** Whether {@code file} has a valid header of segment {@code sequence} with {@code salt}. */
    private boolean hasSalt(Path file, long sequence, long salt) throws IOException {
        try (StorageFile f = storage.openReadOnly(file)) {
            return Segment.readHeader(f, file, sequence) == salt;
        } catch (JournalException notASegment) {
            return false;
        }
    }

    /**
     * Opens every segment and rebuilds {@code index}: from {@code snapshot} if it matches the files, then by reading
     * what it does not cover; else by reading everything. Refuses if a segment is missing or changed according to
     * {@code manifest} ({@code null} for a journal that has none yet).
     */
    List<Segment> open(ExecutionIndex index, IndexSnapshot snapshot, Manifest manifest) throws IOException {
        TreeMap<Long, Path> files = segmentFiles();
        if (readOnly) { // the files as finishInterruptedChanges would leave them
            InterruptedChanges pending = interruptedChanges(manifest, storage.list(directory));
            for (Path deleted : pending.deletions()) {
                files.remove(Segment.sequenceOf(deleted.getFileName().toString()));
            }
            for (Map.Entry<Path, Path> rename : pending.renames().entrySet()) {
                files.put(Segment.sequenceOf(rename.getValue().getFileName().toString()), rename.getKey());
            }
        }
        List<String> problems =
                SegmentProblems.segmentSetProblems(directory, manifest, snapshot, files.navigableKeySet());
        if (!problems.isEmpty()) {
            throw SegmentProblems.refused("the segment files in " + directory + " are not those the journal recorded: "
                    + String.join("; ", problems));
        }
        List<Segment> segments = new ArrayList<>();
        try {
            for (var entry : files.entrySet()) {
                StorageFile file =
                        readOnly ? storage.openReadOnly(entry.getValue()) : storage.open(entry.getValue(), false);
                try {
                    long salt = Segment.readHeader(file, entry.getValue(), entry.getKey());
                    String otherGeneration =
                            SegmentProblems.generationProblem(manifest, entry.getValue(), entry.getKey(), salt);
                    if (otherGeneration != null) {
                        throw SegmentProblems.refused(otherGeneration);
                    }
                    segments.add(new Segment(entry.getKey(), salt, entry.getValue(), file, Segment.HEADER_SIZE));
                } catch (RuntimeException | IOException e) {
                    file.close();
                    throw e;
                }
            }
            Map<Long, Long> covered = snapshot == null ? Map.of() : restore(snapshot, segments, index, manifest);
            for (Segment segment : segments) {
                long sequence = segment.sequence;
                // Covered records are still checked, only not indexed again: damage is found at open, not later.
                long indexFrom = covered.getOrDefault(sequence, (long) Segment.HEADER_SIZE);
                SegmentScanner.End end =
                        SegmentScanner.scan(segment.file, Segment.HEADER_SIZE, segment.saltBytes, (buf, offset, at) -> {
                            if (at >= indexFrom) {
                                index.apply(
                                        RecordCodec.type(buf, offset),
                                        RecordCodec.executionId(buf, offset),
                                        Segment.position(sequence, at),
                                        RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(buf, offset));
                            }
                        });
                segment.end = end.offset();
                segment.allocated = segment.file.size();
                segment.records = end.records();
                segment.lastChecksum = end.lastChecksum();
                if (!end.clean()) {
                    if (end.offset() < indexFrom) {
                        throw SegmentProblems.damaged(
                                segment.path,
                                end,
                                "the index snapshot shows that records up to offset " + indexFrom
                                        + " were acknowledged");
                    }
                    if (sequence != files.lastKey()) {
                        throw SegmentProblems.damaged(
                                segment.path, end, "a later segment file exists, so this is not an interrupted write");
                    }
                    repairTornTail(segment, end);
                }
                String changed = SegmentProblems.sealedProblem(manifest, segment.path, sequence, end);
                if (changed != null) {
                    throw SegmentProblems.refused(changed);
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

    /**
     * Loads {@code snapshot} into the empty {@code index} if every segment it covers is still there, of the same
     * generation and at least as long, and every segment it does not know came after them.
     *
     * @return how far each segment is covered; empty if the snapshot was not used
     */
    private Map<Long, Long> restore(
            IndexSnapshot snapshot, List<Segment> segments, ExecutionIndex index, Manifest manifest)
            throws IOException {
        Map<Long, Segment> bySequence = new HashMap<>();
        for (Segment s : segments) {
            bySequence.put(s.sequence, s);
        }
        Map<Long, Long> covered = new HashMap<>();
        long lastCovered = -1;
        for (IndexSnapshot.SegmentState state : snapshot.segments) {
            Segment s = bySequence.get(state.sequence());
            Manifest.Entry listed = manifest == null ? null : manifest.entry(state.sequence());
            boolean sealed = listed != null && listed.sealed(); // checked against the manifest once read instead
            if (s != null && s.salt == state.salt() && s.file.size() < state.end() && !sealed) {
                throw new JournalException("the journal file " + s.path + " is " + s.file.size()
                        + " bytes long, but the"
                        + " index snapshot shows acknowledged records up to offset " + state.end()
                        + ": it was cut short"
                        + " after the fact. Refusing to open rather than lose acknowledged history; restore the journal"
                        + " directory from a backup, or delete " + IndexSnapshot.FILE_NAME + " to accept the loss");
            }
            if (s == null || s.salt != state.salt()) {
                log.info(
                        "The index snapshot of {} does not match segment {}; reading all segments instead",
                        directory,
                        state.sequence());
                return Map.of();
            }
            covered.put(state.sequence(), state.end());
            lastCovered = Math.max(lastCovered, state.sequence());
        }
        for (Segment s : segments) {
            if (!covered.containsKey(s.sequence) && s.sequence < lastCovered) {
                log.info(
                        "The index snapshot of {} does not know segment {}; reading all segments instead",
                        directory,
                        s.sequence);
                return Map.of();
            }
        }
        for (IndexSnapshot.SegmentState state : snapshot.segments) {
            index.restoreCount(state.sequence(), state.records(), state.live(), state.end());
        }
        for (IndexSnapshot.ExecutionState e : snapshot.executions) {
            index.restore(e.id(), e.positions());
        }
        return covered;
    }

    private void repairTornTail(Segment segment, SegmentScanner.End end) throws IOException {
        StorageFile file = segment.file;
        long size = file.size();
        byte[] tail = SegmentScanner.readRange(file, end.offset(), size);
        int written = tail.length;
        while (written > 0 && tail[written - 1] == 0) {
            written--; // trailing zeros are preallocated space, not part of what was torn
        }
        if (written == 0) {
            return;
        }
        CRC32C crc = new CRC32C();
        for (int p = 1; p + RecordCodec.MIN_FRAME <= tail.length; p++) {
            if (RecordCodec.check(tail, p, tail.length, segment.saltBytes, crc) > 0
                    && RecordCodec.isGroupEnd(tail, p)) {
                throw SegmentProblems.damaged(
                        segment.path,
                        end,
                        "an intact commit group ends at offset " + (end.offset() + p)
                                + " after it, so acknowledged records may be in the damaged range");
            }
        }
        if (readOnly) {
            log.info(
                    "The journal segment {} ends in a torn write ({} at offset {}): {} bytes of records that were never"
                            + " acknowledged; read-only, so they are skipped and left in place (the next open for writing cuts"
                            + " them off, keeping a copy)",
                    segment.path,
                    RecordCodec.describe(end.reason()),
                    end.offset(),
                    written);
            return;
        }
        Path copy = tornCopyName(segment.path);
        storage.delete(copy);
        try (StorageFile out = storage.open(copy, true)) {
            out.writeFully(ByteBuffer.wrap(tail, 0, written), 0);
            out.force(true);
        }
        storage.forceDirectory(directory);
        file.truncate(end.offset());
        file.force(true);
        segment.allocated = end.offset();
        log.warn(
                "The journal segment {} ended in a torn write ({} at offset {}): {} bytes of records that were never"
                        + " acknowledged were removed; a copy is kept in {}",
                segment.path,
                RecordCodec.describe(end.reason()),
                end.offset(),
                written,
                copy);
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

    static void closeQuietly(StorageFile file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // already failing or closing
        }
    }
}
