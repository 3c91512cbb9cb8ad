package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real disk under a journal, except that segment files can be made to fail: the next write of records or the
 * next force throws (or the next force of a directory), the next write of records stops part-way as on a full disk, or every write comes up short.
 * Writes of zeros only (space the journal reserves ahead of its records) are never failed, so a fault always hits
 * records. Other files, such as the index snapshot, are left alone, except that reads of any file can be made to come
 * up short. Pass it through {@link FileJournalOptions#storage}.
 */
public final class FaultyStorage implements JournalStorage {
    private volatile IOException nextWriteFailure;
    private volatile int bytesBeforeFailure;
    private volatile IOException nextForceFailure;
    private volatile IOException nextDirectoryForceFailure;
    private volatile boolean shortWrites;
    private volatile boolean shortReads;
    private volatile Runnable beforeNextForce;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger forces = new AtomicInteger();

    /** The next write of records throws {@code failure} before writing anything. */
    public void failNextWrite(IOException failure) {
        fillUpAfter(0, failure);
    }

    /** The next write of records writes only {@code bytes} bytes and then throws {@code failure}, as a full disk. */
    public void fillUpAfter(int bytes, IOException failure) {
        bytesBeforeFailure = bytes;
        nextWriteFailure = failure;
    }

    /**
     * Every write comes up short, as a channel's may: one of records writes at most three bytes, one of zeros half
     * of what it is given.
     */
    public void shortWrites() {
        shortWrites = true;
    }

    /**
     * Every read of any journal file comes up short, as a channel's may: every other one reads nothing at all, the
     * others at most five bytes.
     */
    public void shortReads() {
        shortReads = true;
    }

    /** The next force of a segment throws {@code failure}. */
    public void failNextForce(IOException failure) {
        nextForceFailure = failure;
    }

    /**
     * The next force of a directory throws {@code failure}: the one that makes a rename or a deletion durable, such as
     * a new manifest's or a segment's that compaction deleted.
     */
    public void failNextDirectoryForce(IOException failure) {
        nextDirectoryForceFailure = failure;
    }

    /** Runs {@code hook} (on the forcing thread) before the next force of a segment. */
    public void beforeNextForce(Runnable hook) {
        beforeNextForce = hook;
    }

    /** The calls so far to write to a segment, of records or zeros, failed or not. */
    public int writes() {
        return writes.get();
    }

    /** The calls so far to force a segment, failed or not. */
    public int forces() {
        return forces.get();
    }

    @Override
    public StorageFile open(Path file, boolean create) throws IOException {
        StorageFile.OfChannel real = (StorageFile.OfChannel) JournalStorage.DISK.open(file, create);
        if (!file.getFileName().toString().startsWith("segment-")) {
            return new ShortReads(real);
        }
        return new FaultySegment(real);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        IOException failure = nextDirectoryForceFailure;
        if (failure != null) {
            nextDirectoryForceFailure = null;
            throw failure;
        }
        JournalStorage.super.forceDirectory(dir);
    }

    @Override
    public StorageFile openReadOnly(Path file) throws IOException {
        return new ShortReads((StorageFile.OfChannel) JournalStorage.DISK.openReadOnly(file));
    }

    private class ShortReads extends StorageFile.OfChannel {
        private boolean nothingThisTime;

        ShortReads(StorageFile.OfChannel real) {
            super(real);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            if (!shortReads || dst.remaining() == 0) {
                return super.read(dst, position);
            }
            nothingThisTime = !nothingThisTime;
            if (nothingThisTime) {
                return 0;
            }
            ByteBuffer part = slice(dst, 5);
            int n = super.read(part, position);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
    }

    private final class FaultySegment extends ShortReads {
        FaultySegment(StorageFile.OfChannel real) {
            super(real);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            writes.incrementAndGet();
            boolean records = !onlyZeros(src);
            IOException failure = records ? nextWriteFailure : null;
            if (failure != null) {
                int bytes = bytesBeforeFailure;
                nextWriteFailure = null;
                bytesBeforeFailure = 0;
                ByteBuffer written = slice(src, bytes);
                for (long at = position; written.hasRemaining(); ) {
                    at += super.write(written, at);
                }
                throw failure;
            }
            int most = records ? 3 : src.remaining() / 2;
            if (shortWrites && most > 0 && src.remaining() > most) {
                int n = super.write(slice(src, most), position);
                src.position(src.position() + n);
                return n;
            }
            return super.write(src, position);
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
            super.force(metaData);
        }
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
