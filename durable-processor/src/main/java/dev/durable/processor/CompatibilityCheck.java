package dev.durable.processor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes each durable function's {@link OperationManifest} into the class output, and, given the manifests of the
 * last release as a baseline, reports at its call site every operation that executions in flight would not replay.
 *
 * <p>Options: {@code -Adurable.compat.baseline=<directories or jars>} (separated by the platform's path separator;
 * a directory holds {@code <function>.v<version>.txt} files, directly or under {@code META-INF/durable/manifests/},
 * a jar under the latter), {@code -Adurable.compat.level=error|warning} (default {@code error}), and
 * {@code -Adurable.compat.write=<directory>} to also write the manifests there, to update a checked-in baseline.
 */
final class CompatibilityCheck {
    static final String BASELINE = "durable.compat.baseline";
    static final String LEVEL = "durable.compat.level";
    static final String WRITE = "durable.compat.write";

    private final ManifestBuilder builder;
    private final Filer filer;
    private final Messager messager;
    private final List<Path> baseline;
    private final Diagnostic.Kind kind;
    private final Path writeTo;
    /** Manifests compiled so far, by file name, to find the baseline's functions that are gone. */
    private final Set<String> compiled = new TreeSet<>();

    private CompatibilityCheck(
            ManifestBuilder builder,
            ProcessingEnvironment env,
            List<Path> baseline,
            Diagnostic.Kind kind,
            Path writeTo) {
        this.builder = builder;
        this.filer = env.getFiler();
        this.messager = env.getMessager();
        this.baseline = baseline;
        this.kind = kind;
        this.writeTo = writeTo;
    }

    /** Arranges for manifests to be written and checked; returns false when the compiler is not javac. */
    static boolean install(ProcessingEnvironment env) {
        JavacAnalysis analysis = JavacAnalysis.of(env);
        if (analysis == null) {
            return false;
        }
        String level = env.getOptions().getOrDefault(LEVEL, "error").trim().toLowerCase(Locale.ROOT);
        Diagnostic.Kind kind =
                level.equals("warning") || level.equals("warn") ? Diagnostic.Kind.WARNING : Diagnostic.Kind.ERROR;
        if (!List.of("error", "warning", "warn").contains(level)) {
            env.getMessager()
                    .printMessage(
                            Diagnostic.Kind.WARNING,
                            "-A" + LEVEL + "=" + level + " is not a level: write error or warning; using error");
        }
        List<Path> baseline = new ArrayList<>();
        String paths = env.getOptions().get(BASELINE);
        if (paths != null && !paths.isBlank()) {
            for (String p : paths.split(java.io.File.pathSeparator)) {
                Path path = Path.of(p.trim()).toAbsolutePath();
                if (Files.exists(path)) {
                    baseline.add(path);
                } else {
                    env.getMessager()
                            .printMessage(
                                    Diagnostic.Kind.WARNING,
                                    "the durable compatibility baseline " + path + " (-A" + BASELINE
                                            + ") does not exist; no function is checked against it");
                }
            }
        }
        String write = env.getOptions().get(WRITE);
        CompatibilityCheck check = new CompatibilityCheck(
                new ManifestBuilder(analysis.trees(), env.getTypeUtils()),
                env,
                baseline,
                kind,
                write == null || write.isBlank() ? null : Path.of(write.trim()).toAbsolutePath());
        analysis.listen(check::analysed, check::finished);
        return true;
    }

    private void analysed(TypeElement type) {
        if (DurableAnnotations.has(type, DurableAnnotations.DURABLE_FUNCTION)) {
            try {
                Optional<OperationManifest> built = builder.build(type);
                // once per name and version: a second class of the same is refused by the runtime at registration
                if (built.isPresent() && compiled.add(built.get().fileName())) {
                    check(built.get(), type); // first: the baseline may be the directory written to
                    write(built.get(), type);
                }
            } catch (RuntimeException e) {
                // a bug in the check must not fail a build: it only ever leaves changes to the runtime check
                ValidationReport.crash(type, e, Diagnostic.Kind.WARNING).printTo(messager);
            }
        }
        for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
            analysed(nested);
        }
    }

    private void write(OperationManifest manifest, TypeElement function) {
        String text = manifest.write();
        try {
            FileObject file = filer.createResource(
                    StandardLocation.CLASS_OUTPUT, "", OperationManifest.DIRECTORY + manifest.fileName(), function);
            try (Writer out = file.openWriter()) {
                out.write(text);
            }
            if (writeTo != null) {
                Files.createDirectories(writeTo);
                Files.writeString(writeTo.resolve(manifest.fileName()), text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void check(OperationManifest manifest, TypeElement function) {
        Optional<OperationManifest> old = baselineOf(manifest.fileName());
        if (old.isEmpty()) {
            return; // a new function or version: no execution is in flight on it
        }
        for (ManifestComparison.Finding f : ManifestComparison.compare(old.get(), manifest)) {
            f.site().print(messager, kind, f.message());
        }
        if (manifest.leftToRuntime() > 0) {
            messager.printMessage(
                    Diagnostic.Kind.NOTE,
                    String.format(
                            "durable function '%s' (version %d): %d operations checked against the baseline at compile"
                                    + " time, %d durable calls in loops, lambdas, catch blocks or the context API left"
                                    + " to the runtime check (durable check-compat)",
                            manifest.function(), manifest.version(), manifest.understood(), manifest.leftToRuntime()),
                    function);
        }
    }

    private Optional<OperationManifest> baselineOf(String fileName) {
        for (Path path : baseline) {
            try {
                Optional<String> text =
                        Files.isDirectory(path) ? fromDirectory(path, fileName) : fromJar(path, fileName);
                if (text.isPresent()) {
                    return Optional.of(OperationManifest.read(text.get(), path + "!" + fileName));
                }
            } catch (IOException | RuntimeException e) {
                messager.printMessage(
                        Diagnostic.Kind.WARNING,
                        "the durable compatibility baseline " + path + " could not be read for " + fileName
                                + ", which is not checked: " + e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fromDirectory(Path directory, String fileName) throws IOException {
        for (Path candidate : List.of(
                directory.resolve(fileName),
                directory.resolve(OperationManifest.DIRECTORY).resolve(fileName))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(Files.readString(candidate, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fromJar(Path jar, String fileName) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(OperationManifest.DIRECTORY + fileName);
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Warns about the baseline's functions no class of this compilation declares any more. */
    private void finished() {
        if (baseline.isEmpty() || compiled.isEmpty()) {
            return; // nothing durable compiled: not the module the baseline belongs to, or nothing to compare
        }
        Set<String> gone = new TreeSet<>();
        for (Path path : baseline) {
            try {
                gone.addAll(listed(path));
            } catch (IOException | RuntimeException e) {
                // already reported, or nothing to list
            }
        }
        gone.removeAll(compiled);
        for (String file : gone) {
            messager.printMessage(
                    Diagnostic.Kind.WARNING,
                    "the durable compatibility baseline has " + file
                            + ", and no @DurableFunction of that name and version was compiled: executions in flight on it"
                            + " can no longer run. Keep the class until none is left (runtime.unfinishedByVersion), or"
                            + " remove its manifest from the baseline");
        }
    }

    private static Set<String> listed(Path path) throws IOException {
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(path)) {
            for (Path dir : List.of(path, path.resolve(OperationManifest.DIRECTORY))) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.map(f -> f.getFileName().toString())
                                .filter(CompatibilityCheck::isManifest)
                                .forEach(names::add);
                    }
                }
            }
        } else {
            try (ZipFile zip = new ZipFile(path.toFile())) {
                zip.stream()
                        .map(ZipEntry::getName)
                        .filter(n -> n.startsWith(OperationManifest.DIRECTORY))
                        .map(n -> n.substring(OperationManifest.DIRECTORY.length()))
                        .filter(CompatibilityCheck::isManifest)
                        .forEach(names::add);
            }
        }
        return names;
    }

    private static boolean isManifest(String name) {
        return name.matches("[^/]+\\.v[0-9]+\\.txt");
    }
}
