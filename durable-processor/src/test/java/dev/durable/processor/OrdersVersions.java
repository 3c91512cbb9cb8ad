package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/** Versions of one durable function, "orders", for the tests of its manifest and of the compatibility check. */
final class OrdersVersions {
    static final String MANIFEST = "META-INF/durable/manifests/orders.v1.txt";

    static final List<String> METHODS = List.of(
            "@Step public String reserve(String o) { return o; }",
            "@Step public String charge(String o) { return o; }",
            "@Step(\"ship-it\") public String ship(String o) { return o; }",
            "@Step public String notifyCustomer(String o) { return o; }",
            "@Wait(\"PT1H\") public void coolingOff() {}",
            "@Callback public String approve(String o) { return null; }");

    /** The handler body of the baseline most tests compare with. */
    static final String[] BASELINE = {"    reserve(o);", "    charge(o);", "    ship(o);"};

    private OrdersVersions() {}

    /** Function "orders" whose handler runs {@code body}, with {@code methods} as its durable methods. */
    static JavaFileObject orders(String annotation, List<String> methods, String... body) {
        List<String> lines = new ArrayList<>();
        lines.add(annotation);
        lines.add("public class Orders {");
        lines.add("  @Handler public String handle(String o) {");
        lines.addAll(List.of(body));
        lines.add("    return o;");
        lines.add("  }");
        lines.addAll(methods);
        lines.add("}");
        return source("Orders", lines.toArray(new String[0]));
    }

    static JavaFileObject orders(String... body) {
        return orders("@DurableFunction(\"orders\")", METHODS, body);
    }

    /** The baseline's handler, with {@code charge} declared as {@code declaration}. */
    static JavaFileObject withCharge(String declaration) {
        List<String> methods = METHODS.stream()
                .map(m -> m.equals(METHODS.get(1)) ? declaration : m)
                .toList();
        return orders("@DurableFunction(\"orders\")", methods, BASELINE);
    }

    /** The manifest the processor writes for {@code source}. */
    static String manifestOf(JavaFileObject source) {
        Compilation c = compile(source);
        assertThat(c).succeeded();
        try {
            return c.generatedFile(StandardLocation.CLASS_OUTPUT, MANIFEST)
                    .orElseThrow()
                    .getCharContent(true)
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles {@code now} against the manifest of {@code before}, kept in {@code dir}. */
    static Compilation compileAgainst(Path dir, JavaFileObject before, JavaFileObject now, String... options)
            throws IOException {
        Files.writeString(dir.resolve("orders.v1.txt"), manifestOf(before));
        List<String> all = new ArrayList<>(List.of("-Adurable.compat.baseline=" + dir));
        all.addAll(List.of(options));
        return compile(all, now);
    }
}
