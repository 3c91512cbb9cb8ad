package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The journal's {@link Manifest} as last written, changed and written under one lock: by a segment roll (which seals a
 * segment and lists the next) and by compaction (before it deletes or swaps a file).
 */
final class ManifestWriter {
    private final Path directory;
    private final JournalStorage storage;
    private final Consumer<Throwable> poison;
    private Manifest manifest; // guarded by this

    /** {@code poison} stops the journal when a write fails. */
    ManifestWriter(Path directory, JournalStorage storage, Consumer<Throwable> poison) {
        this.directory = directory;
        this.storage = storage;
        this.poison = poison;
    }

    /** Starts from {@code current}, writing it unless it is what {@code onDisk} says already. */
    synchronized void start(Manifest current, Manifest onDisk) throws IOException {
        manifest = current;
        if (!current.equals(onDisk)) {
            current.write(storage, directory); // a new journal, one from before manifests, or after a crash
        }
    }

    /**
     * Changes the manifest and writes it. A failure stops the journal, like a failed directory force: the old or the
     * new manifest may be on disk, and the files must not change further until open sorts it out.
     */
    synchronized void update(Consumer<Manifest> change) throws IOException {
        change.accept(manifest);
        try {
            manifest.write(storage, directory);
        } catch (IOException | RuntimeException e) {
            poison.accept(e);
            throw e;
        }
    }

    /** The deletion of segment {@code sequence} is durable: the next write need not list it as removed any more. */
    synchronized void removalDone(long sequence) {
        manifest.removalDone(sequence);
    }
}
