package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real disk under a journal, remembering what a power loss could leave of it, as the crash-test file systems of
 * SQLite and LevelDB's {@code FaultInjectionTestEnv} do. Everything goes through to the disk, so the journal sees its
 * own writes as it would in the page cache (forces stop at the model: the test's own process never loses power, so
 * nothing is synced to the real disk); {@link #cutPower()} then rewrites the directory tree below the root to what
 * is left after the power fails at that moment.
 *
 * <p>The model is ext4 with {@code data=ordered}, taken conservatively (the outcome that loses the most):
 *
 * <ul>
 *   <li>A file's content (its bytes and its size) is what it was at its last {@link StorageFile#force}, whichever of
 *       {@code force(true)} or {@code force(false)}; a file never forced is empty. The content belongs to the file,
 *       not its name: it moves with a rename.
 *   <li>A name in a directory (a file or directory created, a rename's new name, a delete) is durable only once that
 *       directory is forced ({@link JournalStorage#forceDirectory}). Until then the power loss undoes it: a new file
 *       or directory is gone, a renamed file is back under its old name (and a file it replaced is back under the
 *       new one), a deleted file is back. Changes made since the last force of a directory are all lost together,
 *       none of them kept.
 *   <li>A directory not durably named in its parent is gone with everything in it.
 * </ul>
 *
 * What was below the root when this storage was made, and files it first sees there later (put there by a test), count
 * as durable. Files outside the root go straight to the disk and are not modelled.
 *
 * <p>After the power is cut every operation fails with an {@link IOException}, as the journal's process would never
 * get to run them, except closing a file, so that the journal can be closed and its directory lock released. {@link
 * #restorePower()} lets a journal be opened again on what the power loss left. {@link #cutPowerAfter(int)} cuts the
 * power in the middle of whatever the journal does next, at any of its changes to the disk.
 */
public final class PowerLossStorage implements JournalStorage {
    /** A file or directory: a file keeps its content as of its last force through renames, as an inode does. */
    private static final class Node {
        final boolean directory;
        byte[] forced;

        Node(boolean directory, byte[] forced) {
            this.directory = directory;
            this.forced = forced;
        }
    }

    private final Path root;
    /** Every file and directory below the root by its name now. */
    private final Map<Path, Node> names = new HashMap<>();
    /** The names as of the last force of each one's directory. */
    private final Map<Path, Node> durableNames = new HashMap<>();

    /** The files open now, by name, to tell that every one is closed again. */
    private final Map<PowerLossFile, Path> openFiles = new HashMap<>();

    private boolean off;
    /** Changes to the disk still allowed before the power is cut; negative: no cut planned. */
    private int changesBeforeCut = -1;

    /** A storage whose model covers {@code root} and everything below it; what is there now counts as durable. */
    public PowerLossStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        try (Stream<Path> all = Files.walk(this.root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!p.equals(this.root)) {
                    adopt(p);
                }
            }
        }
    }

    /** Fails the power now: the disk below the root becomes what a power loss leaves, and every operation fails. */
    public synchronized void cutPower() throws IOException {
        off = true;
        changesBeforeCut = -1;
        Map<Path, Node> left = new HashMap<>();
        for (Map.Entry<Path, Node> e : durableNames.entrySet()) {
            if (survives(e.getKey())) {
                left.put(e.getKey(), e.getValue());
            }
        }
        List<Path> gone = new ArrayList<>();
        for (Map.Entry<Path, Node> e : names.entrySet()) {
            if (left.get(e.getKey()) != e.getValue()) {
                gone.add(e.getKey());
            }
        }
        gone.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path p : gone) {
            deleteTree(p);
        }
        List<Path> kept = new ArrayList<>(left.keySet());
        kept.sort(Comparator.comparingInt(Path::getNameCount));
        for (Path p : kept) {
            Node node = left.get(p);
            if (node.directory) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(p, OWNER_ONLY_DIRECTORY);
                }
            } else {
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createFile(p, OWNER_ONLY_FILE);
                }
                Files.write(p, node.forced, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
        names.clear();
        names.putAll(left);
        durableNames.clear();
        durableNames.putAll(left);
    }

    /**
     * Lets the next {@code changes} changes to the disk (writes, forces, truncations, creations, renames, deletions)
     * happen, then cuts the power instead of the one after: that one fails, as does everything later.
     */
    public synchronized void cutPowerAfter(int changes) {
        changesBeforeCut = changes;
    }

    /** Whether the power has been cut (by {@link #cutPower()} or once a planned cut came). */
    public synchronized boolean powerIsOff() {
        return off;
    }

    /** The files opened through this storage and not closed yet. */
    public synchronized List<Path> openFiles() {
        return List.copyOf(openFiles.values());
    }

    /** Switches the power back on, with the disk as the power loss left it. */
    public synchronized void restorePower() {
        off = false;
    }

    private boolean survives(Path p) {
        Path parent = p.getParent();
        if (parent.equals(root)) {
            return true;
        }
        Node dir = durableNames.get(parent);
        return dir != null && dir.directory && survives(parent);
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(p)) {
                for (Path e : (Iterable<Path>) entries::iterator) {
                    deleteTree(e);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    private boolean modelled(Path p) {
        return p.startsWith(root) && !p.equals(root);
    }

    /** The node of {@code p}, counted as durable if it was put there behind this storage's back. */
    private Node node(Path p) throws IOException {
        Node node = names.get(p);
        return node != null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? node : adopt(p);
    }

    private Node adopt(Path p) throws IOException {
        boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        Node node = new Node(directory, directory ? null : Files.readAllBytes(p));
        names.put(p, node);
        durableNames.put(p, node);
        return node;
    }

    private void checkPower() throws IOException {
        if (off) {
            throw new IOException("Input/output error (the power is off)");
        }
    }

    /** Before a change to the disk: fails if the power is off, or cuts it now if a cut was planned for here. */
    private void change() throws IOException {
        checkPower();
        if (changesBeforeCut == 0) {
            cutPower();
            throw new IOException("Input/output error (the power failed)");
        }
        if (changesBeforeCut > 0) {
            changesBeforeCut--;
        }
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }

    @Override
    public synchronized StorageFile open(Path file, boolean create) throws IOException {
        Path p = normal(file);
        if (create) {
            change();
        } else {
            checkPower();
        }
        StorageFile real = JournalStorage.DISK.open(file, create);
        Node node = null;
        if (modelled(p)) {
            if (create) {
                node = new Node(false, new byte[0]);
                names.put(p, node);
            } else {
                node = node(p);
            }
        }
        return opened(new PowerLossFile(real, node), p);
    }

    private StorageFile opened(PowerLossFile file, Path p) {
        openFiles.put(file, p);
        return file;
    }

    @Override
    public synchronized StorageFile openReadOnly(Path file) throws IOException {
        checkPower();
        return opened(new PowerLossFile(JournalStorage.DISK.openReadOnly(file), null), normal(file));
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        change();
        Path p = normal(dir);
        List<Path> missing = new ArrayList<>();
        for (Path d = p; d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(d);
        }
        JournalStorage.DISK.createDirectories(dir);
        for (Path d : missing) {
            if (modelled(d)) {
                names.put(d, new Node(true, null));
            }
        }
    }

    @Override
    public synchronized void forceDirectory(Path dir) throws IOException {
        change();
        Path p = normal(dir);
        durableNames.keySet().removeIf(name -> p.equals(name.getParent()));
        for (Map.Entry<Path, Node> e : names.entrySet()) {
            if (p.equals(e.getKey().getParent())) {
                durableNames.put(e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public synchronized void move(Path source, Path target) throws IOException {
        change();
        Path from = normal(source);
        Node node = modelled(from) ? node(from) : null;
        JournalStorage.DISK.move(source, target);
        names.remove(from);
        Path to = normal(target);
        if (modelled(to) && node != null) {
            names.put(to, node);
        }
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        change();
        Path p = normal(file);
        if (modelled(p)) {
            node(p); // a file put there by a test was durable until now
        }
        JournalStorage.DISK.delete(file);
        names.remove(p);
    }

    @Override
    public synchronized List<Path> list(Path dir) throws IOException {
        checkPower();
        return JournalStorage.DISK.list(dir);
    }

    /** A file whose force remembers its content as what survives a power loss. */
    private final class PowerLossFile implements StorageFile {
        private final StorageFile real;
        /** {@code null} for a file opened for reading or outside the root. */
        private final Node node;

        PowerLossFile(StorageFile real, Node node) {
            this.real = real;
            this.node = node;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerLossStorage.this) {
                change();
                return real.write(src, position);
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (PowerLossStorage.this) {
                checkPower();
                return real.read(dst, position);
            }
        }

        @Override
        public void force(boolean metaData) throws IOException {
            synchronized (PowerLossStorage.this) {
                change(); // the test's process keeps its power: the model alone decides what a force made durable
                if (node != null) {
                    long size = real.size();
                    if (size > Integer.MAX_VALUE) {
                        throw new UncheckedIOException(new IOException("too large for a test: " + size));
                    }
                    ByteBuffer content = ByteBuffer.allocate((int) size);
                    real.readFully(content, 0);
                    node.forced = content.array();
                }
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (PowerLossStorage.this) {
                checkPower();
                return real.size();
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (PowerLossStorage.this) {
                change();
                real.truncate(size);
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (PowerLossStorage.this) {
                openFiles.remove(this);
            }
            real.close(); // also with the power off, so that a journal can be closed and its lock released
        }
    }
}
