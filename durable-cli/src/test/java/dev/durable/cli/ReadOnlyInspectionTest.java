package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify, list and show on a journal that must not change (a copy, a backup, a read-only mount). The files are made
 * read-only, but root writes them anyway, so each test also compares every file (kind, size, bytes, modification
 * time) and the directory's modification time before and after.
 */
class ReadOnlyInspectionTest {
    @TempDir
    Path dir;

    @Test
    void verifyListAndShowWorkOnAReadOnlyJournalAndWriteNothing() throws IOException {
        SampleJournal journal = SampleJournal.create(dir);
        makeReadOnly(dir);
        try {
            Map<String, String> before = state(dir);

            Cli verify = Cli.on(dir, "verify");
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.out()).contains("all checksums match");
            Cli list = Cli.on(dir, "list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out())
                    .containsPattern("order-1\\s+order\\s+WAITING")
                    .contains("bad-2", "echo-3");
            Cli json = Cli.on(dir, "list", "--json", "--status", "failed");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            assertThat(json.out()).contains("bad-2").doesNotContain("order-1");
            Cli show = Cli.on(dir, "show", "order-1");
            assertThat(show.exitCode()).as(show.toString()).isZero();
            assertThat(show.out()).contains("callback " + journal.callbackOf("order-1"));
            Cli unknown = Cli.on(dir, "show", "nope");
            assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
            assertThat(unknown.err()).startsWith("error: no execution named 'nope'");

            assertThat(state(dir))
                    .as("the journal directory after verify, list and show")
                    .isEqualTo(before);
        } finally {
            makeWritable(dir);
        }
    }

    @Test
    void aTornTailIsNoDamageForInspectionAndIsLeftInPlace() throws IOException {
        SampleJournal.create(dir);
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().matches("segment-\\p{XDigit}{16}\\.log"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        Files.write(last, new byte[] {0, 0, 0, 40, 7, 7, 7}, StandardOpenOption.APPEND); // an unacknowledged write
        Map<String, String> before = state(dir);

        Cli verify = Cli.on(dir, "verify");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("TORN_TAIL");
        Cli list = Cli.on(dir, "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("order-1", "bad-2", "echo-3");

        assertThat(state(dir)).isEqualTo(before);
    }

    static Map<String, String> state(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        entries.put(".", describe(dir));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                entries.put(file.getFileName().toString(), describe(file));
            }
        }
        return entries;
    }

    private static String describe(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String content = a.isRegularFile() ? Integer.toHexString(Arrays.hashCode(Files.readAllBytes(file))) : "";
        return (a.isDirectory() ? "dir " : "file ") + a.size() + " bytes, modified " + a.lastModifiedTime() + " "
                + content;
    }

    private static void makeReadOnly(Path dir) throws IOException {
        if (!posix()) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    }

    private static void makeWritable(Path dir) throws IOException {
        if (!posix()) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    private static boolean posix() {
        return dir().getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static Path dir() {
        return Path.of(".");
    }
}
