package dev.durable.runtime.local.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The small files beside the segments ({@value Manifest#FILE_NAME}, {@value IndexSnapshot#FILE_NAME}): each ends in a
 * CRC-32C of everything before it, and is replaced whole, never changed in place.
 */
final class MetadataFile {
    private MetadataFile() {}

    /**
     * Replaces {@code name} in {@code directory} with {@code bytes}: written to a temporary file, forced, renamed over
     * the old one, then the directory forced. A crash leaves the old file or the new one, never a mix; the temporary
     * file it may leave ends in {@code .tmp}, which open deletes.
     */
    static void replace(JournalStorage storage, Path directory, String name, byte[] bytes) throws IOException {
        Path temp = directory.resolve(name + ".tmp");
        storage.delete(temp); // a leftover, or a link someone put there: never written through
        try (StorageFile file = storage.open(temp, true)) { // new, so empty: the delete above removed any other
            file.writeFully(ByteBuffer.wrap(bytes), 0);
            file.force(true);
        } catch (IOException | RuntimeException e) {
            storage.delete(temp);
            throw e;
        }
        storage.move(temp, directory.resolve(name));
        storage.forceDirectory(directory);
    }

    /** The whole of {@code name} in {@code directory}, or {@code null} if there is no such file. */
    static byte[] readIfExists(JournalStorage storage, Path directory, String name) throws IOException {
        Path path = directory.resolve(name);
        if (!storage.list(directory).contains(path)) {
            return null;
        }
        try (StorageFile file = storage.openReadOnly(path)) {
            long size = file.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(path + " is " + size + " bytes long, far more than it can be");
            }
            return SegmentScanner.readRange(file, 0, size);
        }
    }

    /**
     * Where a metadata file is put together: a byte array stream without the lock that {@link ByteArrayOutputStream}
     * takes for every byte, as an index snapshot writes a few bytes for each of millions of records.
     */
    static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, Math.max(16, buf.length * 2));
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(count + len, buf.length * 2));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }

    /** The bytes written so far, followed by their CRC-32C. */
    static byte[] withChecksum(ByteArrayOutputStream out) {
        CRC32C crc = new CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        byte[] bytes = Arrays.copyOf(body, body.length + 4);
        RecordCodec.putInt(bytes, body.length, (int) crc.getValue());
        return bytes;
    }

    /** Whether {@code bytes} end in the CRC-32C of what comes before. */
    static boolean checksumMatches(byte[] bytes) {
        if (bytes.length < 4) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        return RecordCodec.getInt(bytes, bytes.length - 4) == (int) crc.getValue();
    }
}
