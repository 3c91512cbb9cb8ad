package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One segment file. Its 32-byte header (little-endian):
 *
 * <pre>
 *  0  8 bytes  magic "DJOURNAL"
 *  8  u32      format version ({@link #VERSION})
 * 12  u64      sequence, also in the file name
 * 20  u64      salt, random per file generation, mixed into every record checksum
 * 28  u32      CRC-32C of bytes 0..28
 * </pre>
 *
 * Records follow from offset 32. Positions in the index pack the sequence and the offset into one long.
 */
final class Segment {
    static final int HEADER_SIZE = 32;
    static final int VERSION = 1;
    private static final byte[] MAGIC = "DJOURNAL".getBytes(StandardCharsets.US_ASCII);
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";

    final long sequence;
    final long salt;
    final byte[] saltBytes;
    final Path path;
    final StorageFile file;
    /** The end of the last whole record: where the next one goes. Changed only by the committing thread. */
    volatile long end;
    /** How far the file has been written, records then zeros: appends below it do not change the file's size. */
    long allocated;
    /** How many records it holds, and the checksum field of the last one: what the manifest keeps once it is sealed. */
    int records;

    int lastChecksum;

    Segment(long sequence, long salt, Path path, StorageFile file, long end) {
        this.sequence = sequence;
        this.salt = salt;
        this.saltBytes = saltBytes(salt);
        this.path = path;
        this.file = file;
        this.end = end;
        this.allocated = end;
    }

    static byte[] saltBytes(long salt) {
        byte[] bytes = new byte[8];
        RecordCodec.putLong(bytes, 0, salt);
        return bytes;
    }

    static String fileName(long sequence) {
        return String.format("%s%016x%s", PREFIX, sequence, SUFFIX);
    }

    /**
     * Where a new segment is made (header written, space preallocated, forced) before it is renamed into place; open
     * deletes such a file left by a crash, as every {@code .tmp} file (see {@link NextSegment}).
     */
    static String preparedFileName(long sequence) {
        return fileName(sequence) + ".tmp";
    }

    /** Where compaction writes the new generation of a segment before it replaces the old one. */
    static String rewriteFileName(long sequence) {
        return fileName(sequence) + ".compact.tmp";
    }

    /** The sequence in a segment file name, or -1 if {@code name} is not one. */
    static long sequenceOf(String name) {
        if (!name.startsWith(PREFIX)
                || !name.endsWith(SUFFIX)
                || name.length() != PREFIX.length() + 16 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(PREFIX.length(), PREFIX.length() + 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static long position(long sequence, long offset) {
        return sequence << 32 | offset;
    }

    static long sequenceOfPosition(long position) {
        return position >>> 32;
    }

    static long offsetOfPosition(long position) {
        return position & 0xFFFF_FFFFL;
    }

    static byte[] header(long sequence, long salt) {
        byte[] header = new byte[HEADER_SIZE];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        RecordCodec.putInt(header, 8, VERSION);
        RecordCodec.putLong(header, 12, sequence);
        RecordCodec.putLong(header, 20, salt);
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 28);
        RecordCodec.putInt(header, 28, (int) crc.getValue());
        return header;
    }

    /** Reads and checks the header of {@code file}, returning its salt. */
    static long readHeader(StorageFile file, Path path, long expectedSequence) throws IOException {
        long size = file.size();
        if (size < HEADER_SIZE) {
            throw new JournalException(
                    "the journal file " + path + " is " + size + " bytes long, shorter than a segment"
                            + " header (" + HEADER_SIZE
                            + " bytes). It was not written by Durable or has been damaged; move it out"
                            + " of the journal directory if it does not belong there, or restore the directory from a backup");
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE);
        file.readFully(buffer, 0);
        byte[] header = buffer.array();
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 28);
        boolean intact = (int) crc.getValue() == RecordCodec.getInt(header, 28);
        if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new JournalException("the file " + path + " is not a Durable journal segment (its first bytes are not"
                    + " the segment magic); move it out of the journal directory"
                    + (intact
                            ? ""
                            : ", unless it is a segment whose header is damaged at offset 0: then restore the"
                                    + " journal directory from a backup"));
        }
        int version = RecordCodec.getInt(header, 8);
        if (version != VERSION) {
            throw new JournalException(
                    "the journal file " + path + " has format version " + Integer.toUnsignedString(version)
                            + ", but this version of Durable reads only version " + VERSION + ". "
                            + (!intact
                                    ? "Its header checksum does not match either, so the header is most likely damaged at offset"
                                            + " 8: restore the directory from a backup (or, if a newer Durable wrote it, open it"
                                            + " with that version)."
                                    : Integer.compareUnsigned(version, VERSION) > 0
                                            ? "It was written by a newer Durable: open it with that version or newer."
                                            : "The header is damaged: restore the directory from a backup."));
        }
        if (!intact) {
            throw new JournalException("the header of the journal file " + path + " is damaged (checksum mismatch at"
                    + " offset 0); restore the journal directory from a backup");
        }
        long sequence = RecordCodec.getLong(header, 12);
        if (sequence != expectedSequence) {
            throw new JournalException("the journal file " + path + " says it is segment " + sequence + " but its name"
                    + " says " + expectedSequence + "; it was renamed or copied by hand. Give it back its name "
                    + fileName(sequence) + " or restore the directory from a backup");
        }
        return RecordCodec.getLong(header, 20);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
