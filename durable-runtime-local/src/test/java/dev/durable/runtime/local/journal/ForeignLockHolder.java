package dev.durable.runtime.local.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process, not a JVM, holding a journal's lock file as a writer or a reader would (POSIX record locks on
 * bytes {@code [0, 2^62)}, what {@link java.nio.channels.FileChannel#tryLock} takes), until closed. It is a small
 * Python program, so that the code refusing the opener runs in the test's own JVM; {@link #available} says whether
 * there is a Python to run it.
 */
final class ForeignLockHolder implements AutoCloseable {
    enum Kind {
        /** A writer that wrote its pid into the lock file. */
        WRITER,
        /** A writer that emptied the lock file and wrote no pid. */
        WRITER_WITHOUT_PID,
        /** A read-only inspection: a shared lock, the file unchanged. */
        READER
    }

    private static final String PROGRAM = String.join(
            "\n",
            "import fcntl, os, sys",
            "path, kind = sys.argv[1], sys.argv[2]",
            "if kind == 'READER':",
            "    fd = os.open(path, os.O_RDONLY)",
            "    fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1 << 62, 0, 0)",
            "else:",
            "    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)",
            "    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1 << 62, 0, 0)",
            "    os.ftruncate(fd, 0)",
            "    if kind == 'WRITER':",
            "        os.pwrite(fd, b'%d\\n' % os.getpid(), 0)",
            "print('holding', os.getpid(), flush=True)",
            "sys.stdin.read()",
            "");

    private final Process process;
    private final long pid;

    private ForeignLockHolder(Process process, long pid) {
        this.process = process;
        this.pid = pid;
    }

    /** Whether there is a Python to hold a lock with; asked once. */
    static boolean available() {
        return python() != null;
    }

    private static String python;
    private static boolean looked;

    /** The Python interpreter itself (not a wrapper script that finds it, which can take a second), or null. */
    private static synchronized String python() {
        if (!looked) {
            looked = true;
            try {
                Process p = new ProcessBuilder("python3", "-c", "import fcntl, sys; print(sys.executable)")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                    python = out;
                }
            } catch (IOException e) {
                python = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return python;
    }

    /** Starts holding {@code directory}'s lock file; returns once it holds it. */
    static ForeignLockHolder hold(Path directory, Kind kind) throws IOException {
        Process process = new ProcessBuilder(
                        python(),
                        "-c",
                        PROGRAM,
                        directory.resolve(DirectoryLock.FILE_NAME).toString(),
                        kind.name())
                .redirectErrorStream(true)
                .start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (line == null || !line.startsWith("holding ")) {
            process.destroyForcibly();
            throw new IOException("the lock holder did not start: " + line);
        }
        return new ForeignLockHolder(process, Long.parseLong(line.substring("holding ".length())));
    }

    long pid() {
        return pid;
    }

    /** Lets go of the lock (the process exits) and waits until it has. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the lock holder did not exit");
        }
    }
}
