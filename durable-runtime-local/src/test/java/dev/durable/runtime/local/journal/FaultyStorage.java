package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The real disk, except that the next write or force of a segment can be made to fail or come up short. */
final class FaultyStorage implements JournalStorage {
    private volatile IOException nextWriteFailure;
    private volatile int nextWriteLimit = -1;
    private volatile IOException nextForceFailure;
    private volatile boolean shortWritesAlways;
    private volatile Runnable beforeNextForce;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    /** The next write of a segment throws {@code failure} before writing anything. */
    void failNextWrite(IOException failure) {
        nextWriteFailure = failure;
    }

    /** The next write of a segment writes only {@code bytes} bytes; the write after it throws {@code failure}. */
    void writeOnlyThenFail(int bytes, IOException failure) {
        nextWriteLimit = bytes;
        nextWriteFailure = failure;
    }

    /** Every write writes only half of what it is given, as a channel may. */
    void shortWrites() {
        shortWritesAlways = true;
    }

    /** Runs {@code hook} (on the forcing thread) before the next force of a segment. */
    void beforeNextForce(Runnable hook) {
        beforeNextForce = hook;
    }

    /** The next force of a segment throws {@code failure}. */
    void failNextForce(IOException failure) {
        nextForceFailure = failure;
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
                writes.incrementAndGet();
                int limit = nextWriteLimit;
                if (limit >= 0) {
                    nextWriteLimit = -1;
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + Math.min(limit, part.remaining()));
                    int n = real.write(part, position);
                    src.position(src.position() + n);
                    return n;
                }
                IOException failure = nextWriteFailure;
                if (failure != null) {
                    nextWriteFailure = null;
                    throw failure;
                }
                if (shortWritesAlways && src.remaining() > 1) {
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + src.remaining() / 2);
                    int n = real.write(part, position);
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
                Runnable hook = beforeNextForce;
                if (hook != null) {
                    beforeNextForce = null;
                    hook.run();
                }
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
}
