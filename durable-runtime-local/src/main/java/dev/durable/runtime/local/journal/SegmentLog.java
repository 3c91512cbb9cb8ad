package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * The segment files of a journal: the one being appended to (the active segment) and the sealed ones before it.
 * Commit groups go to the active segment; one that would take it past the segment size rolls to the next segment
 * first, which {@link NextSegment} has usually made ahead of time, so that the roll only renames it into place.
 *
 * <p><b>Roll order.</b> The full segment's unused preallocated zeros are cut off (if that is lost in a crash, open skips
 * zeros); the next segment, already forced under its temporary name, is renamed to its own name and the directory
 * forced; only then does the manifest seal the full one and list the next, and only then does a record go into it. So
 * a crash leaves one segment more than listed (accepted), never one fewer, and a record is acknowledged in a segment
 * only once the segment's name is durable.
 */
final class SegmentLog implements GroupCommit.Log {
    private static final int PREALLOCATION_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS =
            ByteBuffer.allocateDirect(PREALLOCATION_CHUNK).asReadOnlyBuffer();

    private final Path directory;
    private final FileJournalOptions options;
    private final JournalStorage storage;
    private final ExecutionIndex index;
    private final ManifestWriter manifest;
    private final NextSegment next;
    /** Told how many bytes each roll sealed. */
    private final LongConsumer sealed;

    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Shared by readers; exclusive while a file is swapped or closed under them. */
    private final ReentrantReadWriteLock filesLock = new ReentrantReadWriteLock();

    // Touched only by the committing thread; the group commit's queue lock hands them from one committer to the next.
    private volatile Segment active;
    private ByteBuffer groupBuffer = ByteBuffer.allocateDirect(64 << 10);
    private final CRC32C crc = new CRC32C();
    private boolean nextAskedFor;

    SegmentLog(
            Path directory,
            FileJournalOptions options,
            ExecutionIndex index,
            ManifestWriter manifest,
            Executor maintenance,
            List<Segment> recovered,
            LongConsumer sealed) {
        this.directory = directory;
        this.options = options;
        this.storage = options.storage();
        this.index = index;
        this.manifest = manifest;
        this.next = new NextSegment(directory, options, maintenance);
        this.sealed = sealed;
        for (Segment s : recovered) {
            segments.put(s.sequence, s);
        }
        active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    }

    /**
     * Makes the first segment of a new journal, or goes on with the last one recovered.
     *
     * @return the manifest of the segments there are now
     */
    Manifest start() throws IOException {
        if (active == null) {
            active = publish(next.take(1));
            segments.put(active.sequence, active);
        }
        return Manifest.of(segments.values());
    }

    /**
     * Starts making the next segment once the active one is three quarters full: ready long before it is needed (a
     * quarter of a segment of appends later), while a journal that appends little keeps no spare file.
     */
    void prepareNextIfDue() {
        Segment segment = active;
        if (!nextAskedFor && segment.end * 4 >= options.segmentSize() * 3) {
            nextAskedFor = true;
            next.prepare(segment.sequence + 1);
        }
    }

    @Override
    public void writeAndForce(List<GroupCommit.Writer> group, int bytes) throws IOException {
        Segment segment = active;
        if (segment.end + bytes > options.segmentSize() && segment.end > Segment.HEADER_SIZE) {
            segment = roll(segment);
        }
        if (groupBuffer.capacity() < bytes) {
            groupBuffer = ByteBuffer.allocateDirect(Math.max(bytes, groupBuffer.capacity() * 2));
        }
        ByteBuffer buffer = groupBuffer.clear();
        GroupCommit.Writer lastWriter = group.get(group.size() - 1);
        int records = 0;
        for (GroupCommit.Writer w : group) {
            for (int i = 0; i < w.frames.length; i++) {
                byte[] frame = w.frames[i];
                RecordCodec.seal(frame, segment.saltBytes, w == lastWriter && i == w.frames.length - 1, crc);
                buffer.put(frame);
            }
            records += w.frames.length;
        }
        buffer.flip();
        long start = segment.end;
        segment.file.writeFully(buffer, start);
        preallocate(segment, start + bytes, options);
        segment.file.force(false);
        segment.end = start + bytes;
        segment.records += records;
        segment.lastChecksum = RecordCodec.getInt(lastWriter.frames[lastWriter.frames.length - 1], 4);
        index.apply(segment.sequence, start, group);
        prepareNextIfDue();
    }

    /**
     * Keeps zeros written ahead of the records, a chunk at a time: a {@code force} then only has to write data, not
     * also the file's new size, which makes most forces markedly cheaper on ext4 and XFS.
     */
    static void preallocate(Segment segment, long written, FileJournalOptions options) throws IOException {
        if (!options.preallocate() || written + PREALLOCATION_CHUNK / 2 <= segment.allocated) {
            return;
        }
        long target = Math.min(written + PREALLOCATION_CHUNK, Math.max(options.segmentSize(), written));
        for (long at = Math.max(segment.allocated, written); at < target; ) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), target - at));
            segment.file.writeFully(zeros, at);
            at += zeros.limit();
        }
        segment.allocated = Math.max(segment.allocated, Math.max(target, written));
    }

    private Segment roll(Segment full) throws IOException {
        if (full.allocated > full.end) {
            full.file.truncate(full.end); // unused zeros; if the truncation is lost in a crash, open skips them
            full.allocated = full.end;
        }
        Segment following = publish(next.take(full.sequence + 1));
        segments.put(following.sequence, following);
        active = following;
        nextAskedFor = false;
        // Listed only once it exists, and before any record goes into it: a crash leaves one segment more than listed.
        manifest.update(m -> {
            m.put(Manifest.Entry.sealed(full));
            m.put(Manifest.Entry.appending(following));
        });
        sealed.accept(full.end);
        return following;
    }

    /** Gives a segment made under its temporary name its own name, durably. */
    private Segment publish(Segment made) throws IOException {
        try {
            storage.move(directory.resolve(Segment.preparedFileName(made.sequence)), made.path);
            storage.forceDirectory(directory);
            return made;
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(made.file);
            throw e;
        }
    }

    // ---- for readers, snapshots and compaction

    /** Held while reading records, so that no file is swapped or closed meanwhile. */
    Lock readLock() {
        return filesLock.readLock();
    }

    Segment segment(long sequence) {
        return segments.get(sequence);
    }

    /** The sequence of the active segment, or -1 if there is none (an empty journal opened read-only). */
    long activeSequence() {
        Segment segment = active;
        return segment == null ? -1 : segment.sequence;
    }

    /** The sealed segments, in order. */
    List<Segment> sealedSegments() {
        return List.copyOf(segments.headMap(active.sequence).values());
    }

    /** The index and the files it points into, consistently. */
    IndexSnapshot captureIndex() {
        filesLock.readLock().lock();
        try {
            return index.capture(segments.values());
        } finally {
            filesLock.readLock().unlock();
        }
    }

    /** Deletes a sealed segment that holds no live record, once the manifest no longer lists it. */
    void delete(Segment segment) throws IOException {
        filesLock.writeLock().lock();
        try {
            segments.remove(segment.sequence);
            index.dropSegment(segment.sequence);
            Recovery.closeQuietly(segment.file);
            storage.delete(segment.path);
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    /**
     * Renames the new generation {@code rewritten}, written to {@code temp}, over its old one and points the index at
     * it ({@code reindex}), with no reader in between.
     */
    void swap(Segment old, Segment rewritten, Path temp, Runnable reindex) throws IOException {
        filesLock.writeLock().lock();
        try {
            storage.move(temp, old.path);
            reindex.run();
            segments.put(old.sequence, rewritten);
            Recovery.closeQuietly(old.file);
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    /** Deletes a prepared segment no roll took and closes every file; the maintenance thread has stopped. */
    void close() {
        next.close();
        filesLock.writeLock().lock();
        try {
            closeFiles(segments.values());
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    static void closeFiles(Collection<Segment> files) {
        for (Segment s : files) {
            Recovery.closeQuietly(s.file);
        }
    }
}
