package dev.durable.systemtests;

import dev.durable.runtime.local.journal.JournalStorage;
import dev.durable.runtime.local.journal.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real disk under a journal, except that the next write of records to a segment, or the next force of one,
 * can be made to fail, to stop part-way (disk full), or every write can come up short. Writes of zeros only (space
 * the journal reserves ahead of its records) pass through, so a fault always hits records.
 */
final class FaultyDisk implements JournalStorage {
    private volatile IOException nextWriteFailure;
    private volatile int bytesBeforeFailure = -1;
    private volatile IOException nextForceFailure;
    private volatile boolean shortWrites;
    final AtomicInteger recordWrites = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    /** The next write of records throws {@code failure} before writing anything. */
    void failNextWrite(IOException failure) {
        nextWriteFailure = failure;
    }

    /** The next write of records writes only {@code bytes} bytes and then throws {@code failure}, as a full disk. */
    void fillUpAfter(int bytes, IOException failure) {
        bytesBeforeFailure = bytes;
        nextWriteFailure = failure;
    }

    /** The next force of a segment throws {@code failure}. */
    void failNextForce(IOException failure) {
        nextForceFailure = failure;
    }

    /** Every write of records writes at most three bytes, as a channel may. */
    void shortWrites() {
        shortWrites = true;
    }

    @Override
    public StorageFile open(Path file, boolean create) throws IOException {
        StorageFile real = JournalStorage.DISK.open(file, create);
        if (!file.getFileName().toString().startsWith("segment-")) {
            return real;
        }
        return new StorageFile() {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                if (onlyZeros(src)) {
                    return real.write(src, position);
                }
                recordWrites.incrementAndGet();
                IOException failure = nextWriteFailure;
                if (failure != null) {
                    int bytes = bytesBeforeFailure;
                    nextWriteFailure = null;
                    bytesBeforeFailure = -1;
                    if (bytes > 0) {
                        real.writeFully(slice(src, bytes), position);
                    }
                    throw failure;
                }
                if (shortWrites && src.remaining() > 3) {
                    int n = real.write(slice(src, 3), position);
                    src.position(src.position() + n);
                    return n;
                }
                return real.write(src, position);
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public void force(boolean metaData) throws IOException {
                forces.incrementAndGet();
                IOException failure = nextForceFailure;
                if (failure != null) {
                    nextForceFailure = null;
                    throw failure;
                }
                real.force(metaData);
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    private static ByteBuffer slice(ByteBuffer src, int bytes) {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + Math.min(bytes, part.remaining()));
        return part;
    }

    private static boolean onlyZeros(ByteBuffer src) {
        for (int i = src.position(); i < src.limit(); i++) {
            if (src.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
