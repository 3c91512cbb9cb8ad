package dev.durable.runtime.local.journal;

import dev.durable.core.JournalException;
import dev.durable.core.journal.Journal;
import dev.durable.core.journal.JournalRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of a local runtime: one append-only log of segment files for all executions, in a directory that only
 * one process may open at a time.
 *
 * <pre>{@code
 * try (FileJournal journal = FileJournal.open(Path.of(".durable"), FileJournalOptions.defaults())) {
 *     journal.append(record);                  // returns once the record is on disk
 *     List<JournalRecord> history = journal.read("order-42");
 * }
 * }</pre>
 *
 * <p><b>Commit.</b> Appends from many threads are committed in groups: the first waiting thread writes every queued
 * record and forces once for all of them, then each is acknowledged (as LevelDB does). If a write or force fails,
 * the journal is poisoned: that group and every later append fail with a {@link JournalException} whose cause is the
 * original {@link IOException}; a failed force is never retried. Reopening recovers every acknowledged record.
 *
 * <p><b>Files.</b> {@code segment-<sequence in hex>.log}: a 32-byte header (magic {@code DJOURNAL}, format version,
 * sequence, random salt, CRC-32C), then records, each framed as length, CRC-32C (over the salt, the length and the
 * body), type, flags, execution id, operation id and payload; zeros after the last record are preallocated space.
 * {@code journal.manifest}: which segments there are and, for each sealed one (full, no longer appended to), its
 * length, record count and last record's checksum; rewritten when a segment is sealed and by compaction, never on the
 * commit path otherwise. {@code index.snapshot}: where each execution's records are, so that open need not index
 * everything again. {@code journal.lock}: held by the open journal, with its pid. {@code *.torn-<time>}: bytes
 * removed by recovery.
 *
 * <p><b>Links and permissions.</b> No file in the directory is opened through a symbolic link, and new files are
 * created under a temporary name that must not exist yet, then renamed: whoever can write the directory cannot make
 * the journal write or read another file. Open refuses a journal whose files are links, and a directory that every
 * user may write (without the sticky bit); one that its group may write opens with a warning. {@link #openReadOnly}
 * inspects a journal without changing anything.
 *
 * <p><b>Open.</b> Every record is checked. A record that does not check out in the last segment, with no complete
 * commit group after it, is a torn write that was never acknowledged: the bytes from there on are copied to
 * {@code <segment>.torn-<time>}, then cut off. Anything else (damage in an earlier segment, damage followed
 * by a complete commit group, damage in what the snapshot shows as acknowledged, a file from a newer format) stops
 * the open with the file, the offset and what to do: acknowledged history is never dropped silently. So does a
 * segment file that the manifest lists but that is missing, a sealed one that holds fewer or other records than
 * listed (cut short, even exactly between two records, or replaced by another copy), or an unlisted one among them.
 * A journal written before there were manifests opens and gains one.
 *
 * <p><b>Crash safety of the manifest.</b> A new segment is created before the manifest lists it, so a crash leaves
 * one segment more than listed (accepted), never one fewer. Compaction records the new set of segments before it
 * deletes a file or renames a rewritten one into place; open completes such a step that a crash interrupted (the
 * manifest names the removed segment and the rewritten generation).
 *
 * <p><b>Retention.</b> {@link #forget} hides finished executions at once and durably; {@link #compact} (run in the
 * background once forgotten records dominate) deletes or rewrites the sealed segments holding them.
 */
public final class FileJournal implements Journal {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    /** After a crash, open indexes at most about this much beyond the last snapshot (plus the active segment). */
    private static final long SNAPSHOT_EVERY_BYTES = 64L << 20;
    private static final int PREALLOCATION_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PREALLOCATION_CHUNK).asReadOnlyBuffer();

    private final Path directory;
    private final boolean readOnly;
    private final FileJournalOptions options;
    private final JournalStorage storage;
    private final DirectoryLock lock;
    private final ExecutionIndex index;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    /** Shared by readers; exclusive while a file is swapped or closed under them. */
    private final ReentrantReadWriteLock filesLock = new ReentrantReadWriteLock();
    private final GroupCommit committer;

    // Touched only by the committing thread; the group commit's queue lock hands them from one committer to the next.
    private volatile Segment active;
    private ByteBuffer groupBuffer = ByteBuffer.allocateDirect(64 << 10);
    private final CRC32C crc = new CRC32C();
    private long bytesSinceSnapshot;

    // Compaction: one pass at a time, on the caller's thread or the maintenance thread.
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final AtomicBoolean compactionScheduled = new AtomicBoolean();
    private final ExecutorService maintenance;
    private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
    private final Object snapshotLock = new Object();
    /** Which segments there are, as last written; changed and written under its own lock (by roll and compaction). */
    private Manifest manifest;
    private final Object manifestLock = new Object();

    private FileJournal(Path directory, FileJournalOptions options, DirectoryLock lock, ExecutionIndex index,
            List<Segment> recovered, boolean readOnly) {
        this.directory = directory;
        this.readOnly = readOnly;
        this.options = options;
        this.storage = options.storage();
        this.lock = lock;
        this.index = index;
        long batchWindowNanos = options.durability() == Durability.BATCHED ? options.batchWindow().toNanos() : 0;
        this.committer = new GroupCommit(directory, batchWindowNanos, this::writeAndForce);
        for (Segment s : recovered) {
            segments.put(s.sequence, s);
        }
        this.maintenance = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "durable-journal-maintenance " + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens (creating if needed) the journal in {@code directory} with the default options. */
    public static FileJournal open(Path directory) {
        return open(directory, FileJournalOptions.defaults());
    }

    /**
     * Opens (creating if needed) the journal in {@code directory}, recovering from a torn write at its tail.
     *
     * @throws JournalException if another process or another journal in this process has the directory open (by any
     *     path: the directory is known by its identity), if a file is damaged in a way that could lose acknowledged
     *     records, if it was written by a newer version, if one of its files is a symbolic link, or if every user may
     *     write the directory
     */
    public static FileJournal open(Path directory, FileJournalOptions options) {
        if (options.durability() == Durability.MEMORY) {
            throw new IllegalArgumentException("Durability.MEMORY keeps no files; use dev.durable.core.journal."
                    + "MemoryJournal for it, or choose SYNC or BATCHED for a file journal");
        }
        Path dir = directory.toAbsolutePath().normalize();
        JournalStorage storage = options.storage();
        try {
            if (!java.nio.file.Files.isDirectory(dir)) {
                storage.createDirectories(dir);
                if (dir.getParent() != null) {
                    storage.forceDirectory(dir.getParent()); // the new directory's own entry
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot create the journal directory " + dir + ": " + e, e);
        }
        JournalFiles.checkPermissions(dir, true);
        return open(dir, options, DirectoryLock.acquire(dir), false);
    }

    /**
     * Opens the journal in {@code directory} for reading only: nothing in the directory is created, changed or
     * locked for writing, so it works on a copy, a backup or a read-only mount. What {@link #open} would repair is
     * left as it is: a torn write at the end of the last segment (records that were never acknowledged) is skipped,
     * a compaction step a crash interrupted is read as open would complete it. Damage is refused as by {@link #open}.
     *
     * <p>It holds the directory's lock shared while open: other readers may open it too, but no process can open it
     * for writing meanwhile (it is refused, saying a read-only inspection is reading it), so what it reads is every
     * acknowledged record and nothing else. Appending, forgetting and compacting fail.
     *
     * @throws JournalException if there is no such directory, a process has it open for writing (with its pid), this
     *     process has it open, or a file is damaged or a symbolic link
     */
    public static FileJournal openReadOnly(Path directory) {
        return openReadOnly(directory, FileJournalOptions.defaults());
    }

    /** As {@link #openReadOnly(Path)}, reading through {@code options}' storage. */
    public static FileJournal openReadOnly(Path directory, FileJournalOptions options) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new JournalException("there is no journal directory at " + dir + "; pass the directory the"
                    + " application opens with LocalRuntime.open(...)");
        }
        JournalFiles.checkPermissions(dir, false);
        return open(dir, options, DirectoryLock.acquireShared(dir), true);
    }

    private static FileJournal open(Path dir, FileJournalOptions options, DirectoryLock lock, boolean readOnly) {
        JournalStorage storage = options.storage();
        List<Segment> recovered = List.of();
        FileJournal opened = null;
        try {
            JournalFiles.refuseLinks(storage.list(dir));
            Recovery recovery = new Recovery(dir, storage, readOnly);
            Manifest manifest = Manifest.read(storage, dir);
            if (!readOnly) {
                recovery.finishInterruptedChanges(manifest);
            }
            ExecutionIndex index = new ExecutionIndex();
            recovered = recovery.open(index, IndexSnapshot.read(storage, dir), manifest);
            FileJournal journal = new FileJournal(dir, options, lock, index, recovered, readOnly);
            if (readOnly) {
                journal.active = journal.segments.isEmpty() ? null : journal.segments.lastEntry().getValue();
                journal.manifest = manifest;
                journal.maintenance.shutdown();
            } else {
                try {
                    journal.start(manifest);
                } finally {
                    if (journal.active == null) {
                        journal.maintenance.shutdown();
                    }
                }
            }
            opened = journal;
            return journal;
        } catch (IOException e) {
            throw new JournalException("cannot open the journal in " + dir + ": " + e, e);
        } finally {
            if (opened == null) {
                for (Segment s : recovered) {
                    Recovery.closeQuietly(s.file);
                }
                lock.close();
            }
        }
    }

    /** Creates the first segment of a new journal, and lists the segments in the manifest unless it does already. */
    private void start(Manifest onDisk) throws IOException {
        active = segments.isEmpty() ? createSegment(1) : segments.lastEntry().getValue();
        segments.put(active.sequence, active);
        manifest = Manifest.of(segments.values());
        if (!manifest.equals(onDisk)) {
            manifest.write(storage, directory); // a new journal, one from before manifests, or after a crash
        }
    }

    /** The directory this journal lives in. */
    public Path directory() {
        return directory;
    }

    /** Whether it was opened by {@link #openReadOnly}: it reads, and changes nothing. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The options it was opened with. */
    public FileJournalOptions options() {
        return options;
    }

    @Override
    public void append(JournalRecord record) {
        byte[] frame = RecordCodec.encode(record);
        submit(new GroupCommit.Writer(new byte[][] {frame}, new String[] {record.executionId()}, frame.length));
    }

    @Override
    public Collection<String> executionIds() {
        return index.executionIds();
    }

    @Override
    public JournalRecord first(String executionId) {
        List<JournalRecord> one = read(executionId, FIRST);
        return one.isEmpty() ? null : one.get(0);
    }

    @Override
    public JournalRecord last(String executionId) {
        List<JournalRecord> one = read(executionId, LAST);
        return one.isEmpty() ? null : one.get(0);
    }

    @Override
    public List<JournalRecord> read(String executionId) {
        return read(executionId, ALL);
    }

    private static final int ALL = 0;
    private static final int FIRST = 1;
    private static final int LAST = 2;

    /** All records of the execution, or only its first or last one (opening a runtime needs just those). */
    private List<JournalRecord> read(String executionId, int which) {
        boolean interrupted = Thread.interrupted(); // see GroupCommit.commitAsLeader
        filesLock.readLock().lock();
        try {
            committer.ensureOpen();
            long[] positions = index.positions(executionId);
            if (positions == null) {
                return List.of();
            }
            RecordReader reader = new RecordReader(segments);
            int from = which == LAST ? positions.length - 1 : 0;
            int to = which == FIRST ? Math.min(1, positions.length) : positions.length;
            List<JournalRecord> records = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                JournalRecord record = reader.read(positions, i);
                if (!record.executionId().equals(executionId)) {
                    throw new JournalException("the journal index of " + directory + " points at a record of execution "
                            + record.executionId() + " while reading execution " + executionId + "; close the runtime"
                            + " and open it again to rebuild the index from the files");
                }
                records.add(record);
            }
            return Collections.unmodifiableList(records);
        } finally {
            filesLock.readLock().unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Forgets finished executions: once this returns they are gone from {@link #read} and {@link #executionIds}, and
     * after a restart too (a small record saying so is made durable first). Their bytes are reclaimed by compaction.
     * Forgetting an execution that is still running loses its history; the runtime forgets only finished ones.
     */
    @Override
    public void forget(Collection<String> executionIds) {
        List<String> known = index.known(executionIds);
        if (known.isEmpty()) {
            return;
        }
        byte[][] frames = new byte[known.size()][];
        int bytes = 0;
        for (int i = 0; i < frames.length; i++) {
            frames[i] = RecordCodec.encode(RecordCodec.FORGOTTEN, known.get(i), "", new byte[0]);
            bytes += frames[i].length;
        }
        submit(new GroupCommit.Writer(frames, known.toArray(String[]::new), bytes));
        if (options.automaticCompaction() && worthCompacting()) {
            scheduleCompaction();
        }
    }

    /**
     * Reclaims the space of forgotten executions now: sealed segments holding only forgotten executions are deleted,
     * the others that hold any are rewritten without them. Appends go on meanwhile (they only wait while a rewritten
     * file is swapped in). The segment being appended to is left alone until it fills up.
     *
     * @return the number of bytes reclaimed
     * @throws JournalException if the journal has failed or a file could not be rewritten (the old one stays)
     */
    public long compact() {
        boolean interrupted = Thread.interrupted(); // see GroupCommit.commitAsLeader
        compactionLock.lock();
        try {
            ensureWritable();
            long reclaimed = 0;
            for (Segment segment : List.copyOf(segments.headMap(active.sequence).values())) {
                if (committer.closed()) {
                    break;
                }
                ExecutionIndex.SegmentCount count = index.countOf(segment.sequence);
                int records = count == null ? 0 : count.records;
                int live = count == null ? 0 : count.live;
                if (records > 0 && records == live) {
                    continue; // nothing forgotten in it
                }
                // In file order, so that a forget marker is dropped only once the records it hides are gone.
                reclaimed += live == 0 ? delete(segment) : rewrite(segment);
            }
            if (reclaimed > 0) {
                writeSnapshot(); // the old one no longer matches the files
            }
            return reclaimed;
        } catch (IOException e) {
            Throwable failure = committer.failure();
            if (failure != null) {
                throw committer.failed(failure); // the failure stopped the journal: compacting again will not help
            }
            throw new JournalException("compaction of the journal in " + directory + " failed: " + e + "; the segment"
                    + " it was rewriting is unchanged and nothing is lost. It is tried again after the next forget, or"
                    + " call compact() again", e);
        } finally {
            compactionLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many appends are waiting for or taking part in a commit; for tests. */
    int queuedWriters() {
        return committer.queued();
    }

    /** Waits for maintenance work queued so far; for tests. */
    void awaitMaintenance() throws Exception {
        maintenance.submit(() -> {}).get();
    }

    private boolean worthCompacting() {
        long activeSequence = active.sequence;
        long garbage = index.garbageBefore(activeSequence);
        return garbage > 0 && garbage * 2 >= index.recordsBefore(activeSequence);
    }

    private void scheduleCompaction() {
        if (compactionScheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(() -> {
                    compactionScheduled.set(false);
                    try {
                        compact();
                    } catch (JournalException e) {
                        log.warn("Background compaction of the journal in {} failed", directory, e);
                    }
                });
            } catch (RejectedExecutionException e) {
                compactionScheduled.set(false); // closing
            }
        }
    }

    private void scheduleSnapshot() {
        if (snapshotScheduled.compareAndSet(false, true)) {
            try {
                maintenance.execute(() -> {
                    snapshotScheduled.set(false);
                    writeSnapshot();
                });
            } catch (RejectedExecutionException e) {
                snapshotScheduled.set(false); // closing: close writes one
            }
        }
    }

    /** Saves the index so that the next open reads only what comes after this point. */
    private void writeSnapshot() {
        synchronized (snapshotLock) {
            if (committer.failure() != null) {
                return;
            }
            IndexSnapshot snapshot;
            filesLock.readLock().lock();
            try {
                snapshot = index.capture(segments.values());
            } finally {
                filesLock.readLock().unlock();
            }
            try {
                snapshot.write(storage, directory);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not save the index snapshot of the journal in {}; the next open will read more of the"
                        + " segments, nothing is lost", directory, e);
            }
        }
    }

    private long delete(Segment segment) throws IOException {
        long size = segment.end;
        updateManifest(m -> m.remove(segment)); // first, so that a crash never leaves a listed segment deleted
        filesLock.writeLock().lock();
        try {
            segments.remove(segment.sequence);
            index.dropSegment(segment.sequence);
            Recovery.closeQuietly(segment.file);
            storage.delete(segment.path);
        } finally {
            filesLock.writeLock().unlock();
        }
        forceDirectoryOrPoison();
        synchronized (manifestLock) {
            manifest.removalDone(segment.sequence);
        }
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
            SegmentScanner.End scanned = SegmentScanner.scan(old.file, Segment.HEADER_SIZE, old.saltBytes,
                    (buf, offset, fileOffset) -> {
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
            updateManifest(m -> m.put(Manifest.Entry.sealed(rewritten)));
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            throw e;
        }
        filesLock.writeLock().lock();
        try {
            storage.move(temp, old.path);
            index.rewritten(old.sequence, moved, movedCount, end);
            segments.put(old.sequence, rewritten);
            Recovery.closeQuietly(old.file);
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            committer.poison(e);
            throw e;
        } finally {
            filesLock.writeLock().unlock();
        }
        forceDirectoryOrPoison();
        return old.end - end;
    }

    /**
     * Changes the manifest and writes it. A failure stops the journal, like a failed directory force: the old or the
     * new manifest may be on disk, and the files must not change further until open sorts it out.
     */
    private void updateManifest(Consumer<Manifest> change) throws IOException {
        synchronized (manifestLock) {
            change.accept(manifest);
            try {
                manifest.write(storage, directory);
            } catch (IOException | RuntimeException e) {
                committer.poison(e);
                throw e;
            }
        }
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

    /**
     * The failure that stopped the journal (a write or force that failed), if any: every later append fails with it,
     * and only reopening the journal recovers. For health checks.
     */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(committer.failure());
    }

    @Override
    public void close() {
        if (!committer.close()) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // the snapshot below is channel I/O (see GroupCommit)
        maintenance.shutdown();
        while (true) {
            try {
                if (maintenance.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        compactionLock.lock(); // a pass started by compact() on another thread stops at its next segment
        compactionLock.unlock();
        if (!readOnly) {
            writeSnapshot();
        }
        filesLock.writeLock().lock();
        try {
            for (Segment s : segments.values()) {
                Recovery.closeQuietly(s.file);
            }
        } finally {
            filesLock.writeLock().unlock();
            lock.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeAndForce(List<GroupCommit.Writer> group, int bytes) throws IOException {
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
        preallocate(segment, start + bytes);
        segment.file.force(false);
        segment.end = start + bytes;
        segment.records += records;
        segment.lastChecksum = RecordCodec.getInt(lastWriter.frames[lastWriter.frames.length - 1], 4);
        index.apply(segment.sequence, start, group);
    }

    /**
     * Keeps zeros written ahead of the records, a chunk at a time: a {@code force} then only has to write data, not
     * also the file's new size, which makes most forces markedly cheaper on ext4 and XFS.
     */
    private void preallocate(Segment segment, long written) throws IOException {
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
        Segment next = createSegment(full.sequence + 1);
        segments.put(next.sequence, next);
        active = next;
        // Listed only once it exists, and before any record goes into it: a crash leaves one segment more than listed.
        updateManifest(m -> {
            m.put(Manifest.Entry.sealed(full));
            m.put(Manifest.Entry.appending(next));
        });
        bytesSinceSnapshot += full.end;
        if (bytesSinceSnapshot >= SNAPSHOT_EVERY_BYTES) {
            bytesSinceSnapshot = 0;
            scheduleSnapshot();
        }
        return next;
    }

    /** A new empty segment: header written and forced under a temporary name, renamed, directory forced. */
    private Segment createSegment(long sequence) throws IOException {
        Path target = directory.resolve(Segment.fileName(sequence));
        Path temp = directory.resolve(Segment.fileName(sequence) + ".tmp");
        long salt = ThreadLocalRandom.current().nextLong();
        storage.delete(temp); // a leftover, or a link someone put there: never written through
        StorageFile file = storage.open(temp, true);
        try {
            file.truncate(0);
            file.writeFully(ByteBuffer.wrap(Segment.header(sequence, salt)), 0);
            Segment segment = new Segment(sequence, salt, target, file, Segment.HEADER_SIZE);
            preallocate(segment, Segment.HEADER_SIZE);
            file.force(true);
            storage.move(temp, target);
            storage.forceDirectory(directory);
            return segment;
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            throw e;
        }
    }

    private void submit(GroupCommit.Writer writer) {
        ensureNotReadOnly();
        committer.submit(writer);
    }

    private void ensureWritable() {
        ensureNotReadOnly();
        committer.ensureWritable();
    }

    private void ensureNotReadOnly() {
        if (readOnly) {
            throw new JournalException("the journal in " + directory + " was opened read-only (for inspection); it"
                    + " accepts no changes. Open it with FileJournal.open (or LocalRuntime.open) to change it");
        }
    }

    // ---- reading

    /** Reads records by position, fetching nearby records of the same segment with one read. */
    private final class RecordReader {
        private static final int WINDOW = 64 << 10;
        private final Map<Long, Segment> files;
        private final CRC32C check = new CRC32C();
        private byte[] window = new byte[WINDOW];
        private long windowSequence = -1;
        private long windowStart;
        private int windowLength;

        RecordReader(Map<Long, Segment> files) {
            this.files = files;
        }

        JournalRecord read(long[] positions, int i) {
            long position = positions[i];
            long sequence = Segment.sequenceOfPosition(position);
            long offset = Segment.offsetOfPosition(position);
            Segment segment = files.get(sequence);
            if (segment == null) {
                throw new JournalException("the journal index of " + directory + " points into segment " + sequence
                        + ", which is gone; close the runtime and open it again to rebuild the index");
            }
            try {
                if (!inWindow(sequence, offset, RecordCodec.FRAME_HEADER)) {
                    fill(segment, offset, span(positions, i, sequence, offset));
                }
                int at = (int) (offset - windowStart);
                int body = RecordCodec.bodyLength(window, at);
                if (body > 0 && body <= RecordCodec.MAX_BODY
                        && !inWindow(sequence, offset, RecordCodec.FRAME_HEADER + body)) {
                    fill(segment, offset, RecordCodec.FRAME_HEADER + body);
                    at = 0;
                }
                int r = RecordCodec.check(window, at, windowLength, segment.saltBytes, check);
                if (r < 0 || RecordCodec.type(window, at) == RecordCodec.FORGOTTEN) {
                    throw Recovery.damaged(segment.path, new SegmentScanner.End(offset, r < 0 ? r : RecordCodec.BAD_TYPE),
                            "it holds a record that was acknowledged");
                }
                return RecordCodec.decode(window, at);
            } catch (IOException e) {
                throw new JournalException("cannot read the journal file " + segment.path + " at offset " + offset + ": "
                        + e, e);
            }
        }

        private boolean inWindow(long sequence, long offset, int length) {
            return sequence == windowSequence && offset >= windowStart
                    && offset + length <= windowStart + windowLength;
        }

        /** How much to read from {@code offset}: up to the furthest upcoming record of this segment within reach. */
        private int span(long[] positions, int i, long sequence, long offset) {
            long furthest = offset;
            for (int k = i + 1; k < positions.length; k++) {
                long p = positions[k];
                if (Segment.sequenceOfPosition(p) != sequence || Segment.offsetOfPosition(p) - offset > WINDOW / 2) {
                    break;
                }
                furthest = Segment.offsetOfPosition(p);
            }
            return (int) Math.min(WINDOW, furthest - offset + 1024);
        }

        private void fill(Segment segment, long offset, int length) throws IOException {
            if (window.length < length) {
                window = new byte[length];
            }
            ByteBuffer target = ByteBuffer.wrap(window, 0, length);
            int read = 0;
            while (target.hasRemaining()) {
                int n = segment.file.read(target, offset + read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            windowSequence = segment.sequence;
            windowStart = offset;
            windowLength = read;
        }
    }
}
