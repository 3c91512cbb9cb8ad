package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment after the one being appended to, made ahead of time on the maintenance thread (as etcd's file pipeline
 * does), so that a roll on the commit path only has to rename it into place: it is created under its temporary name
 * {@link Segment#preparedFileName}, its header written, its space preallocated and the whole forced. It is not part of
 * the journal until the roll renames it and forces the directory; a crash before that leaves the temporary file, which
 * open deletes.
 *
 * <p>A roll takes the prepared segment if it is ready, waits for it if it is being made (that finishes no later than
 * making it again would), and otherwise makes it itself: when the maintenance thread has not got to it (it was busy
 * compacting) or failed to make it. Either way the roll's records go into the segment that follows the full one.
 */
final class NextSegment {
    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

    private enum State {
        NONE,
        QUEUED,
        PREPARING,
        READY,
        FAILED
    }

    private final Path directory;
    private final JournalStorage storage;
    private final FileJournalOptions options;
    private final Executor maintenance;
    // Guarded by this.
    private State state = State.NONE;
    private long sequence;
    private Segment ready;

    NextSegment(Path directory, FileJournalOptions options, Executor maintenance) {
        this.directory = directory;
        this.storage = options.storage();
        this.options = options;
        this.maintenance = maintenance;
    }

    /** Asks for segment {@code next} to be made in the background, unless one is asked for or made already. */
    synchronized void prepare(long next) {
        if (state != State.NONE) {
            return;
        }
        state = State.QUEUED;
        sequence = next;
        try {
            maintenance.execute(this::prepareQueued);
        } catch (RejectedExecutionException e) {
            state = State.NONE; // closing
        }
    }

    private void prepareQueued() {
        long next;
        synchronized (this) {
            if (state != State.QUEUED) {
                return; // a roll made it itself meanwhile
            }
            state = State.PREPARING;
            next = sequence;
        }
        Segment made = null;
        try {
            made = create(next);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not prepare the next segment of the journal in {} ahead of time; it is made when it is"
                            + " needed instead",
                    directory,
                    e);
        }
        synchronized (this) {
            ready = made;
            state = made == null ? State.FAILED : State.READY;
            notifyAll();
        }
    }

    /**
     * Segment {@code next}, forced under its temporary name and still to be renamed into place: the prepared one, or
     * one made now if none is ready.
     */
    Segment take(long next) throws IOException {
        Segment prepared;
        synchronized (this) {
            boolean interrupted = false;
            while (state == State.PREPARING) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            prepared = state == State.READY && sequence == next ? ready : null;
            if (state == State.READY && prepared == null) {
                discard(ready);
            }
            state = State.NONE;
            ready = null;
        }
        return prepared != null ? prepared : create(next);
    }

    /** Deletes a prepared segment that no roll took; called once the maintenance thread has stopped. */
    synchronized void close() {
        if (ready != null) {
            discard(ready);
            ready = null;
        }
        state = State.NONE;
    }

    /** A new empty segment under its temporary name: header written, space preallocated, all forced. */
    private Segment create(long next) throws IOException {
        Path temp = directory.resolve(Segment.preparedFileName(next));
        long salt = ThreadLocalRandom.current().nextLong();
        storage.delete(temp); // a leftover, or a link someone put there: never written through
        StorageFile file = storage.open(temp, true);
        try {
            file.truncate(0);
            file.writeFully(ByteBuffer.wrap(Segment.header(next, salt)), 0);
            Segment segment =
                    new Segment(next, salt, directory.resolve(Segment.fileName(next)), file, Segment.HEADER_SIZE);
            SegmentLog.preallocate(segment, Segment.HEADER_SIZE, options);
            file.force(true);
            return segment;
        } catch (IOException | RuntimeException e) {
            Recovery.closeQuietly(file);
            throw e;
        }
    }

    private void discard(Segment unused) {
        Recovery.closeQuietly(unused.file);
        try {
            storage.delete(directory.resolve(Segment.preparedFileName(unused.sequence)));
        } catch (IOException e) {
            log.debug("Could not delete the unused prepared segment {}; the next open deletes it", unused, e);
        }
    }
}
