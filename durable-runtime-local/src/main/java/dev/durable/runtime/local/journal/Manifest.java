package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which segment files make up the journal, and what each sealed one holds, so that open notices a segment that is
 * gone or cut short. Records cannot tell: a segment deleted whole, or cut exactly between two records, leaves only
 * valid records behind.
 *
 * <p>Written when a segment is sealed (the next one is created first, so a crash in between leaves one segment more
 * than listed, never one fewer) and by compaction before it swaps in or deletes a file (see {@link FileJournal}); never
 * on the commit path otherwise. Not thread-safe: {@link ManifestWriter} guards it.
 *
 * <p>Format ({@value #FILE_NAME}, little-endian):
 *
 * <pre>
 * 8 bytes "DJMANIFS", u32 version
 * u32 segment count, then per segment in sequence order:
 *     u64 sequence, u64 salt, u8 sealed (1) or being appended to (0),
 *     u64 end of its records, u32 record count, u32 checksum field of its last record (all 0 unless sealed)
 * u32 removed count, then per segment compaction deleted whose file may still be there: u64 sequence, u64 salt
 * u32 CRC-32C of everything before it
 * </pre>
 */
final class Manifest {
    static final String FILE_NAME = "journal.manifest";
    private static final byte[] MAGIC = "DJMANIFS".getBytes(StandardCharsets.US_ASCII);
    /**
     * 2 since record payloads are written in the engine's binary form: the layout is that of version 1, but a Durable
     * that reads only JSON payloads must refuse the journal rather than fail on its records. Version 1 is still read.
     */
    private static final int VERSION = 2;

    private static final int ENTRY_BYTES = 8 + 8 + 1 + 8 + 4 + 4;

    /** The version of the file this was read from; a manifest of an older version is written again at open. */
    private int readVersion = VERSION;

    /** One segment as the manifest knows it; only a sealed one has its records fixed. */
    record Entry(long sequence, long salt, boolean sealed, long end, int records, int lastChecksum) {
        static Entry sealed(Segment s) {
            return new Entry(s.sequence, s.salt, true, s.end, s.records, s.lastChecksum);
        }

        static Entry appending(Segment s) {
            return new Entry(s.sequence, s.salt, false, 0, 0, 0);
        }

        String describe() {
            return sealed
                    ? "a sealed segment of " + records + " records up to offset " + end
                    : "the segment that was being appended to";
        }
    }

    private final TreeMap<Long, Entry> segments = new TreeMap<>();
    /** Sequence to salt of each segment compaction deleted, until the deletion is known to be durable. */
    private final TreeMap<Long, Long> removed = new TreeMap<>();

    /** The manifest of {@code segments} in sequence order: the last one is appended to, the others are sealed. */
    static Manifest of(Collection<Segment> segments) {
        Manifest m = new Manifest();
        Segment last = null;
        for (Segment s : segments) {
            if (last != null) {
                m.put(Entry.sealed(last));
            }
            last = s;
        }
        if (last != null) {
            m.put(Entry.appending(last));
        }
        return m;
    }

    void put(Entry entry) {
        segments.put(entry.sequence(), entry);
    }

    /** Drops {@code segment}, remembering it as removed so that open deletes its file if the deletion was lost. */
    void remove(Segment segment) {
        segments.remove(segment.sequence);
        removed.put(segment.sequence, segment.salt);
    }

    /** The deletion of a removed segment's file is durable: it need not be remembered any more. */
    void removalDone(long sequence) {
        removed.remove(sequence);
    }

    Entry entry(long sequence) {
        return segments.get(sequence);
    }

    NavigableMap<Long, Entry> segments() {
        return segments;
    }

    Map<Long, Long> removed() {
        return removed;
    }

    /**
     * What is wrong with the segment files present, judged by this manifest: a listed file that is missing, a file
     * between listed ones that is not listed, and gaps among the files after the last listed one (created by a
     * segment roll the manifest did not record yet, which is fine). Empty if the set is whole.
     */
    List<String> problems(Path directory, NavigableSet<Long> present) {
        List<String> problems = new ArrayList<>();
        for (Entry e : segments.values()) {
            if (!present.contains(e.sequence())) {
                problems.add(directory.resolve(Segment.fileName(e.sequence())) + " is missing: " + FILE_NAME
                        + " lists it as " + e.describe());
            }
        }
        long last = segments.isEmpty() ? 0 : segments.lastKey();
        long expected = last + 1;
        for (long sequence : present) {
            if (sequence > last) {
                for (; expected < sequence; expected++) {
                    problems.add(directory.resolve(Segment.fileName(expected)) + " is missing: segment files before and"
                            + " after it exist");
                }
                expected = sequence + 1;
            } else if (!segments.containsKey(sequence)) {
                problems.add(directory.resolve(Segment.fileName(sequence)) + " is not listed in " + FILE_NAME
                        + ", although later segments are listed there: it is not part of this journal as last written"
                        + " (an old copy put back?); move it out of the directory if it does not belong there");
            }
        }
        return problems;
    }

    void write(JournalStorage storage, Path directory) throws IOException {
        ByteArrayOutputStream out = new MetadataFile.Buffer(32 + segments.size() * ENTRY_BYTES + removed.size() * 16);
        byte[] b = new byte[ENTRY_BYTES];
        out.write(MAGIC, 0, MAGIC.length);
        RecordCodec.putInt(b, 0, VERSION);
        RecordCodec.putInt(b, 4, segments.size());
        out.write(b, 0, 8);
        for (Entry e : segments.values()) {
            RecordCodec.putLong(b, 0, e.sequence());
            RecordCodec.putLong(b, 8, e.salt());
            b[16] = (byte) (e.sealed() ? 1 : 0);
            RecordCodec.putLong(b, 17, e.end());
            RecordCodec.putInt(b, 25, e.records());
            RecordCodec.putInt(b, 29, e.lastChecksum());
            out.write(b, 0, ENTRY_BYTES);
        }
        RecordCodec.putInt(b, 0, removed.size());
        out.write(b, 0, 4);
        for (Map.Entry<Long, Long> r : removed.entrySet()) {
            RecordCodec.putLong(b, 0, r.getKey());
            RecordCodec.putLong(b, 8, r.getValue());
            out.write(b, 0, 16);
        }
        MetadataFile.replace(storage, directory, FILE_NAME, MetadataFile.withChecksum(out));
    }

    /**
     * The manifest in {@code directory}, or {@code null} if there is none (a journal written before manifests, or
     * one whose first segment was created but not yet listed).
     *
     * @throws JournalException if it is damaged or from a newer version: without it, a lost segment could go unnoticed
     */
    static Manifest read(JournalStorage storage, Path directory) throws IOException {
        Path path = directory.resolve(FILE_NAME);
        byte[] bytes = MetadataFile.readIfExists(storage, directory, FILE_NAME);
        if (bytes == null) {
            return null;
        }
        if (bytes.length < MAGIC.length + 16 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw damaged(path, "it does not start with the manifest magic");
        }
        int version = RecordCodec.getInt(bytes, MAGIC.length);
        boolean intact = MetadataFile.checksumMatches(bytes);
        if (intact && Integer.compareUnsigned(version, VERSION) > 0) {
            throw new JournalException("the journal manifest " + path + " has format version "
                    + Integer.toUnsignedString(version) + ", but this version of Durable reads versions up to "
                    + VERSION
                    + ": it was written by a newer Durable. Open the journal with that version or newer");
        }
        if (!intact) {
            throw damaged(path, "its checksum does not match");
        }
        if (version != VERSION && version != 1) {
            throw damaged(
                    path, "it has format version " + Integer.toUnsignedString(version) + ", which no Durable wrote");
        }
        Manifest m = new Manifest();
        m.readVersion = version;
        try {
            int at = MAGIC.length + 4;
            int count = RecordCodec.getInt(bytes, at);
            at += 4;
            for (int i = 0; i < count; i++) {
                m.put(new Entry(
                        RecordCodec.getLong(bytes, at),
                        RecordCodec.getLong(bytes, at + 8),
                        bytes[at + 16] != 0,
                        RecordCodec.getLong(bytes, at + 17),
                        RecordCodec.getInt(bytes, at + 25),
                        RecordCodec.getInt(bytes, at + 29)));
                at += ENTRY_BYTES;
            }
            int removedCount = RecordCodec.getInt(bytes, at);
            at += 4;
            for (int i = 0; i < removedCount; i++) {
                m.removed.put(RecordCodec.getLong(bytes, at), RecordCodec.getLong(bytes, at + 8));
                at += 16;
            }
            if (at != bytes.length - 4 || count < 0 || removedCount < 0) {
                throw damaged(path, "its length does not match its contents");
            }
        } catch (IndexOutOfBoundsException e) {
            throw damaged(path, "it ends before its contents do");
        }
        return m;
    }

    private static JournalException damaged(Path path, String what) {
        return new JournalException("the journal manifest " + path + " is damaged (" + what + "). It lists the"
                + " segment files that make up the journal, so that a missing one is noticed. Restore the journal"
                + " directory from a backup; or, if you know every segment file is there, move " + FILE_NAME + " out of"
                + " the directory and open again: a new one is written from the segment files found");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m
                && segments.equals(m.segments)
                && removed.equals(m.removed)
                && readVersion == m.readVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(segments, removed);
    }
}
