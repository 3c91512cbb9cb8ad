package dev.durable.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts the {@code dev.durable.agent.bootstrap} classes on the bootstrap class path, through a small temporary jar,
 * so that woven code in any class loader can reach the dispatcher. Must run before anything names those classes.
 */
final class BootstrapJar {
    static final String DISPATCHER = "dev.durable.agent.bootstrap.Dispatcher";

    /** Every class file of the bootstrap package (a test keeps this in step with the compiled package). */
    static final List<String> CLASSES = List.of("Dispatcher", "Dispatcher$Handler", "Dispatcher$Call");

    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

    private BootstrapJar() {}

    /** Appends the bootstrap classes unless an earlier install did. */
    static void appendTo(Instrumentation instrumentation) throws IOException {
        if (onBootstrapClassPath()) {
            return;
        }
        Path jar = newTemporaryFile();
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar, StandardOpenOption.WRITE);
                JarOutputStream out = new JarOutputStream(file)) {
            for (String name : CLASSES) {
                String entry = resourceName(name);
                ZipEntry zipEntry = new ZipEntry(entry);
                zipEntry.setTimeLocal(ENTRY_TIME); // a local time spares loading time-zone rules at start-up
                out.putNextEntry(zipEntry);
                try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException(entry + " is missing from the agent's class path");
                    }
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }

    /**
     * A new, empty file of our own in the temporary directory. Named by the clock rather than by
     * {@code Files.createTempFile}, whose SecureRandom costs tens of milliseconds of start-up; CREATE_NEW (O_EXCL)
     * keeps it safe in a shared directory.
     */
    private static Path newTemporaryFile() throws IOException {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("durable-agent-bootstrap-" + System.nanoTime() + ".jar");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    static String resourceName(String simpleName) {
        return DISPATCHER.substring(0, DISPATCHER.lastIndexOf('.') + 1).replace('.', '/') + simpleName + ".class";
    }

    private static boolean onBootstrapClassPath() {
        try {
            Class.forName(DISPATCHER, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
