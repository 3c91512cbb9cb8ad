package dev.durable.it.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts method bodies that ran, in a file outside the journal named by {@value #PROPERTY}: a line per run, so a
 * count survives the process being killed.
 */
public final class Counters {
    public static final String PROPERTY = "durable.it.counters";

    private Counters() {}

    /** Records that the body {@code name} ran. */
    public static synchronized void ran(String name) {
        Path file = Path.of(System.getProperty(PROPERTY));
        try {
            Files.writeString(
                    file, name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often each body ran, by name. */
    public static Map<String, Integer> read(Path file) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        for (String line : lines) {
            counts.merge(line, 1, Integer::sum);
        }
        return counts;
    }
}
