package dev.durable.runtime.local.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a directory holds, to compare before and after: each entry's kind, size, modification time and a digest of its
 * bytes, and the directory's own modification time. Equal states mean nothing was created, removed, written or
 * renamed.
 */
public record DirectoryState(Map<String, String> entries) {
    public static DirectoryState of(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        entries.put(".", describe(dir));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                entries.put(file.getFileName().toString(), describe(file));
            }
        }
        return new DirectoryState(entries);
    }

    private static String describe(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String kind = a.isSymbolicLink() ? "link" : a.isDirectory() ? "dir" : "file";
        String digest = a.isRegularFile() ? digest(Files.readAllBytes(file)) : "";
        return kind + " " + a.size() + " bytes, modified " + a.lastModifiedTime() + " " + digest;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
