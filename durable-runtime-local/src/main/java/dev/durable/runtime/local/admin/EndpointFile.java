package dev.durable.runtime.local.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;

/**
 * The file in the journal directory that tells the CLI where a running application's admin endpoint is and which
 * token it takes: written owner-only, created exclusively and renamed into place (never through a link), removed
 * when the endpoint closes.
 */
public final class EndpointFile {
    /** Its name in the journal directory. */
    public static final String FILE_NAME = "admin.endpoint";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private EndpointFile(Path file) {
        this.file = file;
    }

    /** Where a running application serves its admin endpoint, as its endpoint file says. */
    public record Endpoint(URI uri, String token, long pid) {}

    static EndpointFile write(Path directory, URI uri, String token) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("url", uri.toString());
        n.put("token", token);
        n.put("pid", ProcessHandle.current().pid());
        byte[] bytes = JSON.writeValueAsBytes(n);
        Path target = directory.resolve(FILE_NAME);
        Path tmp = directory.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        EnumSet<StandardOpenOption> create = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (SeekableByteChannel ch = posix(directory)
                ? Files.newByteChannel(
                        tmp, create, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.newByteChannel(tmp, create)) {
            ch.write(ByteBuffer.wrap(bytes));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(
                    "cannot write " + tmp + ": it appeared while being created; check who else writes"
                            + " the journal directory",
                    e);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new EndpointFile(target);
    }

    private static boolean posix(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale file is harmless: the CLI finds nothing listening there and says so
        }
    }

    /**
     * The endpoint a running application announced in {@code directory}, if any. A file that is a link, or that
     * anyone but its owner can read, is ignored (its token would not be secret).
     */
    public static Optional<Endpoint> read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            return Optional.of(new Endpoint(
                    URI.create(n.path("url").asText()),
                    n.path("token").asText(),
                    n.path("pid").asLong(-1)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
