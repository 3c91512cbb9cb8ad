package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit declares junit-jupiter-api as provided, so the user's own JUnit is the one on the class path. These tests
 * hold it to the oldest JUnit it supports (see junit.oldest.version in the root pom), with junit-jupiter-api and
 * what that jar needs, and no engine, launcher or other JUnit jar.
 */
class OldestJUnitTest {
    private static final Path OLDEST_JUNIT = Path.of(System.getProperty("durable.oldest-junit"));
    private static final Path MAIN_SOURCES = Path.of(System.getProperty("durable.main-sources"));
    private static final Path MAIN_CLASSES = Path.of(System.getProperty("durable.main-classes"));

    @Test
    void kitCompilesAgainstTheOldestSupportedJupiterApi(@TempDir Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of(
                "--release",
                "17",
                "-proc:none",
                "-d",
                out.toString(),
                "-cp",
                join(classPathWithOldestJUnit(List.of()))));
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .map(Path::toString)
                    .forEach(args::add);
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int exit = javac.run(null, errors, errors, args.toArray(String[]::new));

        assertThat(exit)
                .as("javac against JUnit in %s:%n%s", OLDEST_JUNIT, errors)
                .isZero();
    }

    @Test
    void kitClassesLoadWithOnlyTheOldestJupiterApi() throws Exception {
        try (URLClassLoader loader = isolatedLoader()) {
            assertThatThrownBy(() -> loader.loadClass("org.junit.jupiter.engine.JupiterTestEngine"))
                    .as("the engine must not be on this class path")
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("org.junit.platform.launcher.Launcher"))
                    .as("the launcher must not be on this class path")
                    .isInstanceOf(ClassNotFoundException.class);

            for (String name : kitClassNames()) {
                Class<?> type = Class.forName(name, false, loader);
                // resolves every type named in the class's signatures, annotations included
                type.getDeclaredMethods();
                type.getDeclaredFields();
                type.getDeclaredConstructors();
                type.getGenericInterfaces();
                type.getAnnotations();
                assertThat(type.getClassLoader()).as(name).isSameAs(loader);
            }

            Class<?> runtimeType = loader.loadClass(DurableTestRuntime.class.getName());
            Object builder = runtimeType.getMethod("builder").invoke(null);
            Object runtime = builder.getClass().getMethod("open").invoke(builder);
            Method close = runtimeType.getMethod("close");
            close.invoke(runtime);
        }
    }

    private static URLClassLoader isolatedLoader() {
        List<Path> entries = new ArrayList<>();
        entries.add(MAIN_CLASSES);
        entries.addAll(classPathWithOldestJUnit(List.of(MAIN_CLASSES)));
        URL[] urls = entries.stream().map(OldestJUnitTest::url).toArray(URL[]::new);
        return new URLClassLoader("oldest-junit", urls, ClassLoader.getPlatformClassLoader());
    }

    /** This test's class path without JUnit, the kit's own classes or Surefire, plus the oldest JUnit jars. */
    private static List<Path> classPathWithOldestJUnit(List<Path> alreadyThere) {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String unix = entry.replace(File.separatorChar, '/');
            Path path = Path.of(entry);
            boolean junit = unix.contains("/org/junit/")
                    || unix.contains("/org/opentest4j/")
                    || unix.contains("/org/apiguardian/")
                    || unix.contains("/org/apache/maven/surefire/");
            boolean kit = path.toAbsolutePath().startsWith(MAIN_CLASSES.getParent());
            if (!junit && !kit && !alreadyThere.contains(path)) {
                entries.add(path);
            }
        }
        try (Stream<Path> jars = Files.list(OLDEST_JUNIT)) {
            List<Path> oldest = jars.sorted().collect(Collectors.toList());
            assertThat(oldest).as("jars in %s", OLDEST_JUNIT).hasSize(4);
            entries.addAll(oldest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static List<String> kitClassNames() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> MAIN_CLASSES.relativize(f).toString())
                    .filter(f -> !f.endsWith("module-info.class") && !f.endsWith("package-info.class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace(File.separatorChar, '.'))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String join(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path.toString(), e);
        }
    }
}
