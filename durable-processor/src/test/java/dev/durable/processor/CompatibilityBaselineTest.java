package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.OrdersVersions.BASELINE;
import static dev.durable.processor.OrdersVersions.MANIFEST;
import static dev.durable.processor.OrdersVersions.METHODS;
import static dev.durable.processor.OrdersVersions.manifestOf;
import static dev.durable.processor.OrdersVersions.orders;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the compatibility check finds its baseline, how it reports, and what it does with what it cannot read. */
class CompatibilityBaselineTest {
    @TempDir
    Path dir;

    private Compilation compileAgainst(JavaFileObject before, JavaFileObject now, String... options)
            throws IOException {
        return OrdersVersions.compileAgainst(dir, before, now, options);
    }

    @Test
    void aNewVersionIsNotComparedWithTheOldOne() throws IOException {
        Files.writeString(dir.resolve("orders.v1.txt"), manifestOf(orders(BASELINE)));
        JavaFileObject v2 =
                orders("@DurableFunction(value = \"orders\", version = 2)", METHODS, "    ship(o);", "    reserve(o);");
        Compilation c = compile(List.of("-Adurable.compat.baseline=" + dir), v2);
        assertThat(c).succeeded();
        assertThat(c.diagnostics()).noneMatch(d -> d.getMessage(null).contains("operation"));
    }

    @Test
    void theWarningLevelReportsTheSameFindingsAsWarnings() throws IOException {
        JavaFileObject now = orders("    reserve(o);", "    ship(o);");
        Compilation c = compileAgainst(orders(BASELINE), now, "-Adurable.compat.level=warning");
        assertThat(c).succeeded();
        assertThat(c)
                .hadWarningContaining("STEP 'charge' was removed before it")
                .inFile(now)
                .onLineContaining("ship(o);");
    }

    @Test
    void theBaselineMayBeThePreviousReleasesJar() throws IOException {
        Path jar = dir.resolve("orders-1.0.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(manifestOf(orders(BASELINE)).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        JavaFileObject now = orders("    reserve(o);", "    ship(o);");
        Compilation c = compile(List.of("-Adurable.compat.baseline=" + jar), now);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was removed before it")
                .inFile(now)
                .onLineContaining("ship(o);");
    }

    @Test
    void theBaselineMayBeACopyOfTheClassOutput() throws IOException {
        Path manifests = Files.createDirectories(dir.resolve("classes/META-INF/durable/manifests"));
        Files.writeString(manifests.resolve("orders.v1.txt"), manifestOf(orders(BASELINE)));
        JavaFileObject now = orders("    reserve(o);", "    ship(o);");
        Compilation c = compile(List.of("-Adurable.compat.baseline=" + dir.resolve("classes")), now);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was removed before it")
                .inFile(now)
                .onLineContaining("ship(o);");
    }

    @Test
    void anUnreadableBaselineIsAWarningAndChecksNothing() throws IOException {
        Files.writeString(
                dir.resolve("orders.v1.txt"), "manifest 1\nfunction \"orders\"\nversion 1\nclass x\nop STEP\n");
        Compilation c = compile(List.of("-Adurable.compat.baseline=" + dir), orders("    ship(o);"));
        assertThat(c).succeeded();
        assertThat(c)
                .hadWarningContaining("orders.v1.txt, which is not checked: " + dir + "!orders.v1.txt:5 has an"
                        + " operation without its name and result type");
    }

    @Test
    void aBaselineFunctionNoLongerCompiledIsAWarning() throws IOException {
        Files.writeString(
                dir.resolve("refunds.v1.txt"), manifestOf(orders(BASELINE)).replace("orders", "refunds"));
        Compilation c = compileAgainst(orders(BASELINE), orders(BASELINE));
        assertThat(c).succeeded();
        assertThat(c)
                .hadWarningContaining("the durable compatibility baseline has refunds.v1.txt, and no"
                        + " @DurableFunction of that name and version was compiled");
    }

    @Test
    void aBaselineWrittenToByTheSameCompilationIsReadBeforeItIsReplaced() throws IOException {
        JavaFileObject now = orders("    reserve(o);", "    ship(o);");
        Compilation c = compileAgainst(orders(BASELINE), now, "-Adurable.compat.write=" + dir);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was removed before it")
                .inFile(now)
                .onLineContaining("ship(o);");
        assertThat(Files.readString(dir.resolve("orders.v1.txt"))).doesNotContain("\"charge\"");
    }

    @Test
    void theNoteSaysHowManyDurableCallsAreLeftToTheRuntimeCheck() throws IOException {
        Compilation c = compileAgainst(
                orders(BASELINE),
                orders("    reserve(o);", "    charge(o);", "    for (int i = 0; i < 2; i++) ship(o);"));
        assertThat(c)
                .hadNoteContaining("durable function 'orders' (version 1): 2 operations checked against the"
                        + " baseline at compile time, 1 durable calls in loops, lambdas, catch blocks or the context API left to"
                        + " the runtime check (durable check-compat)");
    }
}
