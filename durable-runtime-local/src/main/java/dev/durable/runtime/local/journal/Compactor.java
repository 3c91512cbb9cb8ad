package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims the space of forgotten executions: a sealed segment holding none that is live is deleted, one holding some
 * is rewritten without the others, in file order (so that a forget marker goes only once the records it hides are
 * gone). The segment being appended to is left alone until it fills up. One pass at a time, on the caller's thread or
 * the maintenance thread; appends go on meanwhile and readers wait only while a file is swapped.
 *
 * <p>Crash safety: the manifest is written first (it no longer lists a segment to delete; it lists the new generation
 * of one to swap), then the file changes, then the directory is forced. Open completes such a step that a crash cut
 * short. A failure after the manifest changed stops the journal, as a failed force does.
 */
final class Compactor {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

    private final Path directory;
    private final JournalStorage storage;
    private final ExecutionIndex index;
    private final SegmentLog segments;
    private final ManifestWriter manifest;
    private final GroupCommit committer;
    private final SnapshotScheduler snapshots;
    private final Executor maintenance;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Compactor(
            Path directory,
            JournalStorage storage,
            ExecutionIndex index,
            SegmentLog segments,
            ManifestWriter manifest,
            GroupCommit committer,
            SnapshotScheduler snapshots,
            Executor maintenance) {
        this.directory = directory;
        this.storage = storage;
        this.index = index;
        this.segments = segments;
        this.manifest = manifest;
        this.committer = committer;
        this.snapshots = snapshots;
        this.maintenance = maintenance;
    }

    /** See {@link FileJournal#compact()}. */
    long compact() {
        boolean interrupted = Thread.interrupted(); // see GroupCommit.commitAsLeader
        lock.lock();
        try {
            committer.ensureWritable();
            long reclaimed = 0;
            for (Segment segment : segments.sealedSegments()) {
                if (committer.closed()) {
                    break;
                }
                ExecutionIndex.SegmentCount count = index.countOf(segment.sequence);
                int records = count == null ? 0 : count.records;
                int live = count == null ? 0 : count.live;
                if (records > 0 && records == live) {
                    continue; // nothing forgotten in it
                }
                reclaimed += live == 0 ? delete(segment) : rewrite(segment);
            }
            if (reclaimed > 0) {
                snapshots.write(); // the old one no longer matches the files
            }
            return reclaimed;
        } catch (IOException e) {
            Throwable failure = committer.failure();
            if (failure != null) {
                throw committer.failed(failure); // the failure stopped the journal: compacting again will not help
            }
            throw new JournalException(
                    "compaction of the journal in " + directory + " failed: " + e + "; the segment"
                            + " it was rewriting is unchanged and nothing is lost. It is tried again after the next forget, or"
                            + " call compact() again",
                    e);
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Schedules a pass on the maintenance thread if forgotten records make up most of the sealed segments. */
    void compactIfWorthIt() {
        long activeSequence = segments.activeSequence();
        long garbage = index.garbageBefore(activeSequence);
        if (garbage > 0 && garbage * 2 >= index.recordsBefore(activeSequence) && scheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(() -> {
                    scheduled.set(false);
                    try {
                        compact();
                    } catch (JournalException e) {
                        log.warn("Background compaction of the journal in {} failed", directory, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // closing
            }
        }
    }

    /** Waits for a pass running on another thread; it stops at its next segment once the journal is closed. */
    void awaitPass() {
        lock.lock();
        lock.unlock();
    }

    private long delete(Segment segment) throws IOException {
        long size = segment.end;
        manifest.update(m -> m.remove(segment)); // first, so that a crash never leaves a listed segment deleted
        segments.delete(segment);
        forceDirectoryOrPoison();
        manifest.removalDone(segment.sequence);
        return size;
    }

    /** Copies the live records of a sealed segment to a new generation of it, then swaps it in. */
    private long rewrite(Segment old) throws IOException {
        Path temp = directory.resolve(Segment.rewriteFileName(old.sequence));
        long salt = ThreadLocalRandom.current().nextLong();
        if (salt == old.salt) {
            salt = ~salt;
        }
        byte[] saltBytes = Segment.saltBytes(salt);
        Map<String, long[]> moved = new HashMap<>();
        Map<String, Integer> movedCount = new HashMap<>();
        storage.delete(temp); // a leftover, or a link someone put there: never written through
        StorageFile file = storage.open(temp, true);
        long end;
        int[] records = {0, 0}; // count, checksum field of the last one
        try {
            file.truncate(0);
            file.writeFully(ByteBuffer.wrap(Segment.header(old.sequence, salt)), 0);
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            long[] at = {Segment.HEADER_SIZE};
            CRC32C checksum = new CRC32C();
            SegmentScanner.End scanned =
                    SegmentScanner.scan(old.file, Segment.HEADER_SIZE, old.saltBytes, (buf, offset, fileOffset) -> {
                        if (RecordCodec.type(buf, offset) == RecordCodec.FORGOTTEN) {
                            return;
                        }
                        String execution = RecordCodec.executionId(buf, offset);
                        if (!index.isLive(execution, Segment.position(old.sequence, fileOffset))) {
                            return;
                        }
                        int length = RecordCodec.FRAME_HEADER + RecordCodec.bodyLength(buf, offset);
                        byte[] frame = Arrays.copyOfRange(buf, offset, offset + length);
                        RecordCodec.seal(frame, saltBytes, true, checksum);
                        records[0]++;
                        records[1] = RecordCodec.getInt(frame, 4);
                        if (out.remaining() < length) {
                            out.flip();
                            file.writeFully(out, at[0] - out.remaining());
                            out.clear();
                        }
                        if (length > out.capacity()) {
                            file.writeFully(ByteBuffer.wrap(frame), at[0]);
                        } else {
                            out.put(frame);
                        }
                        int n = movedCount.merge(execution, 1, Integer::sum);
                        long[] positions = moved.computeIfAbsent(execution, k -> new long[4]);
                        if (n > positions.length) {
                            positions = Arrays.copyOf(positions, positions.length * 2);
                            moved.put(execution, positions);
                        }
                        positions[n - 1] = Segment.position(old.sequence, at[0]);
                        at[0] += length;
                    });
            if (!scanned.clean() || scanned.offset() != old.end) {
                throw new IOException("the sealed segment " + old.path + " no longer reads back cleanly at offset "
                        + scanned.offset() + " (" + RecordCodec.describe(scanned.reason()) + ")");
            }
            out.flip();
            file.writeFully(out, at[0] - out.remaining());
            end = at[0];
            file.force(true);
            storage.forceDirectory(directory); // the manifest is about to name this file's generation
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            storage.delete(temp);
            throw e;
        }
        Segment rewritten = new Segment(old.sequence, salt, old.path, file, end);
        rewritten.records = records[0];
        rewritten.lastChecksum = records[1];
        // From here on the manifest may list the new generation: the temporary file stays, for open to rename into
        // place after a crash, and a failure stops the journal.
        try {
            manifest.update(m -> m.put(Manifest.Entry.sealed(rewritten)));
            segments.swap(old, rewritten, temp, () -> index.rewritten(old.sequence, moved, movedCount, end));
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            committer.poison(e);
            throw e;
        }
        forceDirectoryOrPoison();
        return old.end - end;
    }

    /** A directory force that fails leaves renames of unknown durability: stop rather than build on them. */
    private void forceDirectoryOrPoison() throws IOException {
        try {
            storage.forceDirectory(directory);
        } catch (IOException e) {
            committer.poison(e);
            throw e;
        }
    }
}
