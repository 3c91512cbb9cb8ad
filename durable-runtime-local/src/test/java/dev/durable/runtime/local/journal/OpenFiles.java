package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files this process has open, as Linux lists them in {@code /proc/self/fd}; elsewhere it cannot tell. */
final class OpenFiles {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {}

    static boolean canTell() {
        return Files.isDirectory(FDS);
    }

    /** The files under {@code dir} that this process has open now. */
    static List<Path> under(Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<Path> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    continue; // closed meanwhile, such as the listing's own descriptor
                }
                if (target.startsWith(real)) {
                    open.add(target);
                }
            }
        }
        return open;
    }
}
