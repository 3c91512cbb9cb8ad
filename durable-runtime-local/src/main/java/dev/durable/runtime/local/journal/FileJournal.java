package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
 * <p><b>Rolling.</b> Once the segment being appended to is three quarters full, the next one is made in the
 * background under a temporary name ({@code segment-<sequence>.log.tmp}: header, preallocated space, forced), so that
 * the commit group that fills the segment only renames it into place and forces the directory before the manifest
 * lists it. Until then it is not part of the journal: a crash leaves the temporary file, which open deletes.
 *
 * <p><b>Parts.</b> {@code GroupCommit} commits appends in groups; {@code SegmentLog} writes them to the active segment
 * and rolls to the next one, which {@code NextSegment} prepares; {@code Compactor} reclaims forgotten executions;
 * {@code SnapshotScheduler} saves the {@code ExecutionIndex}; {@code ManifestWriter} keeps the manifest.
 *
 * <p><b>Retention.</b> {@link #forget} hides finished executions at once and durably; {@link #compact} (run in the
 * background once forgotten records dominate) deletes or rewrites the sealed segments holding them.
 */
public final class FileJournal implements Journal {
    private final Path directory;
    private final boolean readOnly;
    private final FileJournalOptions options;
    private final DirectoryLock lock;
    private final ExecutionIndex index;
    private final ExecutorService maintenance;
    private final GroupCommit committer;
    private final ManifestWriter manifest;
    private final SegmentLog segments;
    private final SnapshotScheduler snapshots;
    private final Compactor compactor;
    private final JournalReads reads;

    private FileJournal(
            Path directory,
            FileJournalOptions options,
            DirectoryLock lock,
            ExecutionIndex index,
            List<Segment> recovered,
            boolean readOnly) {
        this.directory = directory;
        this.readOnly = readOnly;
        this.options = options;
        this.lock = lock;
        this.index = index;
        this.maintenance = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "durable-journal-maintenance " + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
        JournalStorage storage = options.storage();
        long batchWindowNanos = options.durability() == Durability.BATCHED
                ? options.batchWindow().toNanos()
                : 0;
        this.committer = new GroupCommit(directory, batchWindowNanos, this::writeAndForce);
        this.manifest = new ManifestWriter(directory, storage, committer::poison);
        this.segments = new SegmentLog(directory, options, index, manifest, maintenance, recovered, this::sealed);
        this.snapshots =
                new SnapshotScheduler(directory, storage, maintenance, segments::captureIndex, committer::failure);
        this.compactor =
                new Compactor(directory, storage, index, segments, manifest, committer, snapshots, maintenance);
        this.reads = new JournalReads(directory, segments, index, committer);
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
            throw new IllegalArgumentException("Durability.MEMORY keeps no files; use dev.durable.spi.journal."
                    + "MemoryJournal for it, or choose SYNC or BATCHED for a file journal");
        }
        Path dir = directory.toAbsolutePath().normalize();
        JournalStorage storage = options.storage();
        try {
            if (!java.nio.file.Files.isDirectory(dir)) {
                Path existing = dir.getParent();
                while (existing != null && !java.nio.file.Files.isDirectory(existing)) {
                    existing = existing.getParent();
                }
                storage.createDirectories(dir);
                for (Path made = dir; made.getParent() != null && !made.equals(existing); made = made.getParent()) {
                    storage.forceDirectory(made.getParent()); // each new directory's own entry, missing parents too
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
                journal.maintenance.shutdown();
            } else {
                try {
                    journal.manifest.start(journal.segments.start(), manifest);
                } catch (IOException | RuntimeException e) {
                    journal.maintenance.shutdown();
                    journal.segments.close();
                    throw e;
                }
                journal.segments.prepareNextIfDue();
            }
            opened = journal;
            return journal;
        } catch (IOException e) {
            throw new JournalException("cannot open the journal in " + dir + ": " + e, e);
        } finally {
            if (opened == null) {
                SegmentLog.closeFiles(recovered);
                lock.close();
            }
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

    private void submit(GroupCommit.Writer writer) {
        if (readOnly) {
            throw readOnlyRefusal();
        }
        committer.submit(writer);
    }

    // Callbacks of parts made before what they call: the group commit writes through the segment log, which tells the
    // snapshot scheduler what it sealed.
    private void writeAndForce(List<GroupCommit.Writer> group, int bytes) throws IOException {
        segments.writeAndForce(group, bytes);
    }

    private void sealed(long bytes) {
        snapshots.sealed(bytes);
    }

    @Override
    public Collection<String> executionIds() {
        return index.executionIds();
    }

    @Override
    public JournalRecord first(String executionId) {
        List<JournalRecord> one = reads.read(executionId, JournalReads.FIRST);
        return one.isEmpty() ? null : one.get(0);
    }

    @Override
    public JournalRecord last(String executionId) {
        List<JournalRecord> one = reads.read(executionId, JournalReads.LAST);
        return one.isEmpty() ? null : one.get(0);
    }

    @Override
    public List<JournalRecord> read(String executionId) {
        return reads.read(executionId, JournalReads.ALL);
    }

    @Override
    public int count(String executionId) {
        return index.count(executionId);
    }

    /** Reads every execution's first and last record in one pass over the files, mostly sequential. */
    @Override
    public void heads(Consumer<Head> each) {
        reads.heads(each);
    }

    /** Tells {@code observer} of each group of records written and forced together. */
    @Override
    public void observeCommits(CommitObserver observer) {
        committer.observe(observer);
    }

    /** True: a reopened runtime schedules suspended executions from these records instead of replaying them. */
    @Override
    public boolean recordsSuspensions() {
        return true;
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
        if (options.automaticCompaction()) {
            compactor.compactIfWorthIt();
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
        if (readOnly) {
            throw readOnlyRefusal();
        }
        return compactor.compact();
    }

    /** How many appends are waiting for or taking part in a commit; for tests. */
    int queuedWriters() {
        return committer.queued();
    }

    /** Waits for maintenance work queued so far (compaction, snapshots, preparing the next segment); for tests. */
    void awaitMaintenance() throws Exception {
        maintenance.submit(() -> {}).get();
    }

    /**
     * The failure that stopped the journal (a write or force that failed), if any: every later append fails with it,
     * and only reopening the journal recovers. For health checks.
     */
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(committer.failure());
    }

    private JournalException readOnlyRefusal() {
        return new JournalException("the journal in " + directory + " was opened read-only (for inspection); it"
                + " accepts no changes. Open it with FileJournal.open (or LocalRuntime.open) to change it");
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
        compactor.awaitPass(); // a pass started by compact() on another thread stops at its next segment
        try {
            if (!readOnly) {
                snapshots.write();
            }
            segments.close();
        } finally {
            lock.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
