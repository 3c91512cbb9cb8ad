package dev.durable.agent;

import dev.durable.runtime.local.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child JVMs running {@link #APP}: the application's class path, with the built agent jar where a scenario wants it. */
final class AgentJvm {
    static final String APP = "dev.durable.it.agent.AgentApp";

    private AgentJvm() {}

    /** The built, shaded agent jar. */
    static Path agentJar() {
        return Path.of(System.getProperty("durable.agent.jar"));
    }

    /**
     * The test class path as the application sees it: test classes, core, runtime, annotations, Jackson, SLF4J.
     * Without the agent module's own classes and without ByteBuddy, so the agent can only work from its jar.
     */
    static List<String> applicationClassPath() {
        Path classes = Path.of(System.getProperty("durable.agent.classes")).toAbsolutePath();
        Path jar = agentJar().toAbsolutePath();
        return ChildJvm.testClassPath(entry -> {
            Path p = Path.of(entry).toAbsolutePath();
            return !p.equals(classes) && !p.equals(jar) && !isByteBuddy(p);
        });
    }

    /** ByteBuddy's own jar from the test class path (the version the agent shades). */
    static Path testByteBuddy() {
        return ChildJvm.testClassPath().stream()
                .map(Path::of)
                .filter(p -> p.getFileName().toString().matches("byte-buddy-\\d.*\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("byte-buddy is not on the test class path"));
    }

    private static boolean isByteBuddy(Path entry) {
        return entry.getFileName() != null && entry.getFileName().toString().startsWith("byte-buddy");
    }

    /** Starts {@link #APP} with {@code jvmOptions}, the class path {@code classPath}, and {@code args}. */
    static ChildJvm start(List<String> jvmOptions, List<String> classPath, String... args) throws IOException {
        return ChildJvm.builder(APP)
                .jvmOptions(jvmOptions)
                .classPath(classPath)
                .args(args)
                .start();
    }

    /** Starts {@link #APP} with the agent as {@code -javaagent} and the application class path. */
    static ChildJvm withAgent(List<String> jvmOptions, String... args) throws IOException {
        List<String> options = new ArrayList<>();
        options.add("-javaagent:" + agentJar());
        options.addAll(jvmOptions);
        return start(options, applicationClassPath(), args);
    }
}
