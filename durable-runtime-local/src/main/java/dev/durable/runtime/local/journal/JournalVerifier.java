package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Checks every record of a journal directory against its checksum without changing anything: no torn tail is
 * repaired, no file is created or truncated. It judges each segment as opening the journal would (see
 * {@link Recovery}): an incomplete write at the end of the last segment is a torn write that open will cut off
 * (never acknowledged, so not damage); anything else that does not check out is damage that open refuses. So is a
 * segment file that is missing, or changed since it was sealed, according to the journal's manifest: see
 * {@link Report#problems}. Files ending in {@code .tmp} (a segment made ahead of time that a crash left before its
 * rename, an unfinished rewrite or metadata file) are not part of the journal and are not checked; open deletes them.
 *
 * <pre>{@code
 * JournalVerifier.Report report = JournalVerifier.verify(Path.of(".durable"));
 * if (!report.intact()) {
 *     report.segments().forEach(s -> System.out.println(s.file() + ": " + s.problem()));
 * }
 * }</pre>
 *
 * <p>It writes nothing (it works on a read-only copy) and holds the directory lock shared while it reads, so it is
 * refused (with a {@link JournalException}) on a journal that a runtime has open, and no runtime can open the journal
 * meanwhile; {@link JournalLock#holder} says who holds it. Symbolic links among the journal's files are reported as
 * problems (open refuses them) and not followed.
 */
public final class JournalVerifier {
    private JournalVerifier() {}

    /** How a segment file checks out. */
    public enum Status {
        /** Every record checks out (zero bytes after the last one are unwritten space). */
        INTACT,
        /** The last segment ends in an incomplete write, never acknowledged; the next open cuts it off. */
        TORN_TAIL,
        /** A record or the header does not check out where acknowledged records may be; open refuses the journal. */
        DAMAGED
    }

    /**
     * One segment file.
     *
     * @param file the segment file
     * @param size its length in bytes
     * @param records the records that check out before the problem, if any (forget markers included)
     * @param status how it checks out
     * @param problemOffset where the first invalid byte is, or {@code -1} if intact
     * @param problem what is wrong there, or {@code null} if intact
     * @param recordsAfterProblem for damage: intact records found after it (acknowledged history at risk)
     */
    public record SegmentReport(
            Path file,
            long size,
            int records,
            Status status,
            long problemOffset,
            String problem,
            int recordsAfterProblem) {}

    /**
     * The whole directory.
     *
     * @param directory the journal directory
     * @param segments each segment file in sequence order; empty if the directory holds no journal
     * @param tornCopies copies of torn tails that earlier opens cut off and kept ({@code <segment>.torn-<time>})
     * @param problems what open refuses besides damaged records, each with the file: a segment file that is missing,
     *     one that should not be there, one cut short or replaced since it was sealed, or a damaged manifest
     */
    public record Report(Path directory, List<SegmentReport> segments, List<Path> tornCopies, List<String> problems) {
        public Report {
            segments = List.copyOf(segments);
            tornCopies = List.copyOf(tornCopies);
            problems = List.copyOf(problems);
        }

        /** Whether the journal would open without losing acknowledged records (a torn tail is fine). */
        public boolean intact() {
            return problems.isEmpty() && segments.stream().noneMatch(s -> s.status() == Status.DAMAGED);
        }

        /** Records that check out, in all segments. */
        public long records() {
            return segments.stream().mapToLong(SegmentReport::records).sum();
        }
    }

    /**
     * Reads every segment of {@code directory} and checks each record.
     *
     * @throws JournalException if the directory does not exist, cannot be read, or another runtime holds it
     */
    @SuppressWarnings("try") // the shared lock is held for the whole read, never called
    public static Report verify(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new JournalException("there is no journal directory at " + dir + "; pass the directory the"
                    + " application opens with LocalRuntime.open(...)");
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        List<Path> tornCopies = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                String name = file.getFileName().toString();
                long sequence = Segment.sequenceOf(name);
                if (sequence >= 0) {
                    files.put(sequence, file);
                } else if (name.contains(".log.torn-")) {
                    tornCopies.add(file);
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot list the journal directory " + dir + ": " + e, e);
        }
        tornCopies.sort(null);
        if (files.isEmpty()) {
            return new Report(dir, List.of(), tornCopies, List.of());
        }
        List<SegmentReport> reports = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (DirectoryLock lock = DirectoryLock.acquireShared(dir)) {
            for (Path file : JournalStorage.DISK.list(dir)) {
                if (JournalFiles.isJournalFile(file.getFileName().toString()) && Files.isSymbolicLink(file)) {
                    problems.add(JournalFiles.linkRefused(file).getMessage());
                }
            }
            Manifest manifest = null;
            try {
                manifest = Manifest.read(JournalStorage.DISK, dir);
            } catch (JournalException damaged) {
                problems.add(damaged.getMessage());
            }
            // Judge the files as open will find them once it completed what a crash in compaction interrupted.
            Recovery recovery = new Recovery(dir, JournalStorage.DISK);
            Recovery.InterruptedChanges pending = recovery.interruptedChanges(manifest, JournalStorage.DISK.list(dir));
            for (Path deleted : pending.deletions()) {
                files.remove(Segment.sequenceOf(deleted.getFileName().toString()));
            }
            for (Map.Entry<Path, Path> rename : pending.renames().entrySet()) {
                files.put(Segment.sequenceOf(rename.getValue().getFileName().toString()), rename.getKey());
            }
            IndexSnapshot snapshot = manifest == null ? IndexSnapshot.read(JournalStorage.DISK, dir) : null;
            problems.addAll(SegmentProblems.segmentSetProblems(dir, manifest, snapshot, files.navigableKeySet()));
            for (Map.Entry<Long, Path> e : files.entrySet()) {
                reports.add(verifySegment(e.getValue(), e.getKey(), e.getKey() == files.lastKey(), manifest, problems));
            }
        } catch (IOException e) {
            throw new JournalException("cannot read the journal directory " + dir + ": " + e, e);
        }
        return new Report(dir, reports, tornCopies, problems);
    }

    private static SegmentReport verifySegment(
            Path path, long sequence, boolean last, Manifest manifest, List<String> problems) {
        if (Files.isSymbolicLink(path)) {
            return new SegmentReport(path, 0, 0, Status.DAMAGED, 0, "it is a symbolic link, which open refuses", 0);
        }
        try (StorageFile file = JournalStorage.DISK.openReadOnly(path)) {
            long size = file.size();
            long salt;
            try {
                salt = Segment.readHeader(file, path, sequence);
            } catch (JournalException badHeader) {
                return new SegmentReport(path, size, 0, Status.DAMAGED, 0, badHeader.getMessage(), 0);
            }
            String otherGeneration = SegmentProblems.generationProblem(manifest, path, sequence, salt);
            if (otherGeneration != null) {
                problems.add(otherGeneration);
            }
            byte[] saltBytes = Segment.saltBytes(salt);
            SegmentScanner.End end = SegmentScanner.scan(file, Segment.HEADER_SIZE, saltBytes, (buf, offset, at) -> {});
            int records = end.records();
            String changed =
                    otherGeneration == null ? SegmentProblems.sealedProblem(manifest, path, sequence, end) : null;
            if (changed != null && end.clean()) {
                problems.add(changed);
            }
            if (end.clean()) {
                return new SegmentReport(path, size, records, Status.INTACT, -1, null, 0);
            }
            byte[] tail = SegmentScanner.readRange(file, end.offset(), size);
            String what = RecordCodec.describe(end.reason());
            int written = tail.length;
            while (written > 0 && tail[written - 1] == 0) {
                written--; // zeros at the end are preallocated space, not part of a write
            }
            if (last && written == 0) {
                return new SegmentReport(path, size, records, Status.INTACT, -1, null, 0);
            }
            Resync after = resync(tail, saltBytes);
            if (last && !after.groupEnd) {
                return new SegmentReport(
                        path,
                        size,
                        records,
                        Status.TORN_TAIL,
                        end.offset(),
                        what + " (" + written
                                + " bytes never acknowledged; the next open keeps a copy and cuts them off)",
                        0);
            }
            String why = last ? "an intact commit group ends after it" : "a later segment file exists";
            return new SegmentReport(
                    path,
                    size,
                    records,
                    Status.DAMAGED,
                    end.offset(),
                    what + "; " + why + ", so acknowledged records may be lost",
                    after.records);
        } catch (IOException e) {
            throw new JournalException("cannot read the journal file " + path + ": " + e, e);
        }
    }

    /** Intact frames found after damage by trying every offset, and whether one of them ends a commit group. */
    private record Resync(int records, boolean groupEnd) {}

    private static Resync resync(byte[] tail, byte[] salt) {
        CRC32C crc = new CRC32C();
        int records = 0;
        boolean groupEnd = false;
        int p = 1;
        while (p + RecordCodec.MIN_FRAME <= tail.length) {
            int length = RecordCodec.check(tail, p, tail.length, salt, crc);
            if (length > 0) {
                records++;
                groupEnd |= RecordCodec.isGroupEnd(tail, p);
                p += length;
            } else {
                p++;
            }
        }
        return new Resync(records, groupEnd);
    }
}
