package dev.durable.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;

/** Runs javac with {@link DurableProcessor} on the test class path (durable-annotations and durable-core). */
final class Compilations {
    /** The project's own lint settings, so generated code is held to the same standard as handwritten code. */
    static final List<String> LINT = List.of("-Xlint:all,-processing,-serial");

    private Compilations() {}

    static Compilation compile(JavaFileObject... sources) {
        return compile(List.of(), sources);
    }

    static Compilation compile(List<String> options, JavaFileObject... sources) {
        return Compiler.javac()
                .withProcessors(new DurableProcessor())
                .withOptions(options)
                .compile(sources);
    }

    static JavaFileObject good(String name) {
        return JavaFileObjects.forResource("good/" + name + ".java");
    }

    /** A one-class source in package {@code test}; {@code lines} follow the package declaration and imports. */
    static JavaFileObject source(String className, String... lines) {
        String[] all = new String[lines.length + 2];
        all[0] = "package test;";
        all[1] = "import dev.durable.annotations.*; import java.time.*; import java.util.*; import java.io.*;";
        System.arraycopy(lines, 0, all, 2, lines.length);
        return JavaFileObjects.forSourceLines("test." + className, all);
    }
}
