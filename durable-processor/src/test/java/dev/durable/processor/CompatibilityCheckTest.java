package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile-time compatibility check: each breaking change is an error at the call site that breaks, each safe
 * change compiles silently. A baseline is the manifest a first compilation writes.
 */
class CompatibilityCheckTest {
    private static final String MANIFEST = "META-INF/durable/manifests/orders.v1.txt";

    private static final List<String> METHODS = List.of(
            "@Step public String reserve(String o) { return o; }",
            "@Step public String charge(String o) { return o; }",
            "@Step(\"ship-it\") public String ship(String o) { return o; }",
            "@Step public String notifyCustomer(String o) { return o; }",
            "@Wait(\"PT1H\") public void coolingOff() {}",
            "@Callback public String approve(String o) { return null; }");

    /** The handler body of the baseline most tests compare with. */
    private static final String[] BASELINE = {"    reserve(o);", "    charge(o);", "    ship(o);"};

    @TempDir
    Path dir;

    /** Function "orders" whose handler runs {@code body}, with {@code methods} as its durable methods. */
    private static JavaFileObject orders(String annotation, List<String> methods, String... body) {
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

    private static JavaFileObject orders(String... body) {
        return orders("@DurableFunction(\"orders\")", METHODS, body);
    }

    /** The baseline's handler, with {@code charge} declared as {@code declaration}. */
    private static JavaFileObject withCharge(String declaration) {
        List<String> methods = METHODS.stream()
                .map(m -> m.equals(METHODS.get(1)) ? declaration : m)
                .toList();
        return orders("@DurableFunction(\"orders\")", methods, BASELINE);
    }

    private static String manifestOf(JavaFileObject source) {
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

    /** Compiles {@code now} against the manifest of {@code before}, kept in a directory. */
    private Compilation compileAgainst(JavaFileObject before, JavaFileObject now, String... options)
            throws IOException {
        Files.writeString(dir.resolve("orders.v1.txt"), manifestOf(before));
        List<String> all = new ArrayList<>(List.of("-Adurable.compat.baseline=" + dir));
        all.addAll(List.of(options));
        return compile(all, now);
    }

    private void assertBreaks(JavaFileObject now, String message, String line) throws IOException {
        Compilation c = compileAgainst(orders(BASELINE), now);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining(message).inFile(now).onLineContaining(line);
    }

    private void assertSilent(JavaFileObject before, JavaFileObject now) throws IOException {
        Compilation c = compileAgainst(before, now);
        assertThat(c).succeeded();
        assertThat(c.diagnostics())
                .noneMatch(d -> d.getKind() != Diagnostic.Kind.NOTE
                        && d.getMessage(null).contains("durable"));
    }

    @Test
    void theManifestListsTheHandlersOperationsWithBranchesPatchesAndOpaqueRegions() {
        String manifest = manifestOf(orders(
                "    reserve(o);",
                "    if (o.isEmpty()) { coolingOff(); } else { approve(o); }",
                "    if (dev.durable.Durable.patched(\"sms\")) { notifyCustomer(o); }",
                "    for (int i = 0; i < 2; i++) { charge(o); }",
                "    dev.durable.Durable.context().now();",
                "    ship(o);"));
        assertThat(manifest)
                .endsWith(String.join(
                        "\n",
                        "manifest 1",
                        "function \"orders\"",
                        "version 1",
                        "class test.Orders",
                        "op STEP \"reserve\" java.lang.String",
                        "if \"o.isEmpty()\"",
                        "  arm \"then\"",
                        "    op WAIT \"coolingOff\" java.lang.Void",
                        "  arm \"else\"",
                        "    op CALLBACK \"approve\" java.lang.String",
                        "end",
                        "patch \"sms\"",
                        "  arm \"patched\"",
                        "    op STEP \"notifyCustomer\" java.lang.String",
                        "  arm \"unpatched\"",
                        "end",
                        "opaque 1 \"loop\"",
                        "opaque 1 \"context API: now()\"",
                        "op STEP \"ship-it\" java.lang.String",
                        "return",
                        ""));
    }

    @Test
    void anInsertedOperationIsAnErrorAtItsCallSite() throws IOException {
        JavaFileObject now = orders("    reserve(o);", "    notifyCustomer(o);", "    charge(o);", "    ship(o);");
        assertBreaks(
                now,
                "operation 2 of durable function 'orders' (version 1) was STEP 'charge' in the baseline and is STEP"
                        + " 'notifyCustomer' here: STEP 'notifyCustomer' was inserted before STEP 'charge'."
                        + " Executions in flight past this point would fail on replay. Guard the change with"
                        + " Durable.patched(\"...\"), register it as @DurableFunction(value = \"orders\", version ="
                        + " 2), or add operations after the baseline's last one",
                "notifyCustomer(o);");
    }

    @Test
    void aRemovedOperationIsAnErrorWhereTheNextOneNowRuns() throws IOException {
        JavaFileObject now = orders("    reserve(o);", "    ship(o);");
        assertBreaks(now, "STEP 'charge' was removed before it", "ship(o);");
    }

    @Test
    void reorderedOperationsAreAnErrorAtTheFirstOne() throws IOException {
        JavaFileObject now = orders("    charge(o);", "    reserve(o);", "    ship(o);");
        assertBreaks(now, "STEP 'charge' and STEP 'reserve' were swapped", "charge(o);");
    }

    @Test
    void anOperationRenamedThroughItsAnnotationIsAnError() throws IOException {
        JavaFileObject now = withCharge("@Step(\"debit\") public String charge(String o) { return o; }");
        assertBreaks(now, "STEP 'charge' was renamed or replaced", "charge(o);");
    }

    @Test
    void aRetypedResultIsAnError() throws IOException {
        JavaFileObject now = withCharge("@Step public Integer charge(String o) { return 1; }");
        assertBreaks(now, "its result type changed from java.lang.String to java.lang.Integer", "charge(o);");
    }

    @Test
    void anOperationInsertedInANewBranchIsAnError() throws IOException {
        JavaFileObject now =
                orders("    reserve(o);", "    if (o.isEmpty()) { coolingOff(); }", "    charge(o);", "    ship(o);");
        assertBreaks(now, "WAIT 'coolingOff' was inserted before STEP 'charge'", "coolingOff();");
    }

    @Test
    void anOperationInsertedInAnExistingBranchIsAnError() throws IOException {
        JavaFileObject before = orders("    reserve(o);", "    if (o.isEmpty()) { charge(o); }", "    ship(o);");
        JavaFileObject now =
                orders("    reserve(o);", "    if (o.isEmpty()) { charge(o); notifyCustomer(o); }", "    ship(o);");
        Compilation c = compileAgainst(before, now);
        assertThat(c)
                .hadErrorContaining("STEP 'notifyCustomer' was inserted before STEP 'ship-it'")
                .inFile(now)
                .onLineContaining("notifyCustomer(o);");
    }

    @Test
    void theOldPathOfANewPatchMustStillMatch() throws IOException {
        JavaFileObject now = orders(
                "    reserve(o);",
                "    if (dev.durable.Durable.patched(\"express\")) { ship(o); } else { notifyCustomer(o); }",
                "    charge(o);");
        assertBreaks(now, "STEP 'notifyCustomer' was inserted before STEP 'charge'", "notifyCustomer(o); }");
    }

    @Test
    void operationsAddedAfterTheLastOneAreSilent() throws IOException {
        assertSilent(orders(BASELINE), orders("    reserve(o);", "    charge(o);", "    ship(o);", "    approve(o);"));
    }

    @Test
    void aChangedStepBodyIsSilent() throws IOException {
        assertSilent(orders(BASELINE), withCharge("@Step public String charge(String o) { return o + \"!\"; }"));
    }

    @Test
    void aChangeGuardedByANewPatchIsSilent() throws IOException {
        assertSilent(
                orders(BASELINE),
                orders(
                        "    reserve(o);",
                        "    if (dev.durable.Durable.patched(\"sms\")) { notifyCustomer(o); }",
                        "    charge(o);",
                        "    ship(o);"));
    }

    @Test
    void aChangeAfterCodeTheCheckCannotFollowIsLeftToTheRuntimeCheck() throws IOException {
        assertSilent(
                orders("    reserve(o);", "    for (String s : o.split(\",\")) { charge(s); }", "    ship(o);"),
                orders("    reserve(o);", "    for (String s : o.split(\",\")) { charge(s); }", "    approve(o);"));
        assertSilent(
                orders("    reserve(o);", "    charge(o);"),
                orders("    reserve(o);", "    java.util.List.of(o).forEach(s -> charge(s));", "    ship(o);"));
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
    void theWriteOptionKeepsABaselineUpToDate() throws IOException {
        Path baseline = dir.resolve("baseline");
        Compilation c = compile(List.of("-Adurable.compat.write=" + baseline), orders(BASELINE));
        assertThat(c).succeeded();
        assertThat(Files.readString(baseline.resolve("orders.v1.txt"))).isEqualTo(manifestOf(orders(BASELINE)));
    }

    @Test
    void helpersOfTheSameFileAreReadInPlaceAndReportedAtTheirCallSite() throws IOException {
        List<String> methods = new ArrayList<>(METHODS);
        methods.add("private void pay(String o) { charge(o); }");
        List<String> changed = new ArrayList<>(METHODS);
        changed.add("private void pay(String o) {");
        changed.add("  approve(o); }");
        JavaFileObject before = orders("@DurableFunction(\"orders\")", methods, "    reserve(o);", "    pay(o);");
        JavaFileObject now = orders("@DurableFunction(\"orders\")", changed, "    reserve(o);", "    pay(o);");
        assertThat(manifestOf(before)).contains("op STEP \"reserve\" java.lang.String\nop STEP \"charge\"");
        Compilation c = compileAgainst(before, now);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was renamed or replaced")
                .inFile(now)
                .onLineContaining("approve(o); }");
    }

    @Test
    void eachArmOfASwitchIsComparedWithTheSameArm() throws IOException {
        JavaFileObject before = orders(
                "    switch (o) { case \"a\" -> reserve(o); case \"b\" -> { charge(o); } default -> {} }",
                "    ship(o);");
        assertThat(manifestOf(before)).contains("switch \"o\"\n  arm \"case \\\"a\\\"\"\n    op STEP \"reserve\"");
        JavaFileObject now = orders(
                "    switch (o) { case \"a\" -> reserve(o); case \"b\" -> { approve(o); } default -> {} }",
                "    ship(o);");
        Compilation c = compileAgainst(before, now);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was renamed or replaced")
                .inFile(now)
                .onLineContaining("approve(o)");
    }

    @Test
    void groupedCasesAreOneArmAndABreakInsideACaseIsOpaque() {
        String manifest = manifestOf(orders(
                "    switch (o) {",
                "      case \"a\": case \"b\": if (o.isEmpty()) break; charge(o); break;",
                "      default: ship(o);",
                "    }"));
        assertThat(manifest)
                .contains(String.join(
                        "\n",
                        "switch \"o\"",
                        "  arm \"case \\\"a\\\", case \\\"b\\\"\"",
                        "    if \"o.isEmpty()\"",
                        "      arm \"then\"",
                        "        opaque 0 \"break or continue\"",
                        "      arm \"else\"",
                        "    end",
                        "    op STEP \"charge\" java.lang.String",
                        "  arm \"default\"",
                        "    op STEP \"ship-it\" java.lang.String",
                        "end"));
    }

    @Test
    void operationsAfterATryWhoseCatchBlockRunsOperationsAreComparedOnTheNormalPath() throws IOException {
        JavaFileObject before =
                orders("    try { reserve(o); } catch (RuntimeException e) { charge(o); }", "    ship(o);");
        assertThat(manifestOf(before))
                .contains(String.join(
                        "\n",
                        "try \"catch\"",
                        "  arm \"completes\"",
                        "    op STEP \"reserve\" java.lang.String",
                        "  arm \"throws\"",
                        "    opaque 1 \"catch or finally block\"",
                        "end",
                        "op STEP \"ship-it\""));
        JavaFileObject now =
                orders("    try { reserve(o); } catch (RuntimeException e) { charge(o); }", "    approve(o);");
        Compilation c = compileAgainst(before, now);
        assertThat(c)
                .hadErrorContaining("STEP 'ship-it' was renamed or replaced")
                .inFile(now)
                .onLineContaining("approve(o);");
    }

    @Test
    void aBranchWhoseConditionChangedIsNotCompared() throws IOException {
        assertSilent(
                orders("    if (o.isEmpty()) { reserve(o); } else { charge(o); }", "    ship(o);"),
                orders("    if (!o.isEmpty()) { charge(o); } else { reserve(o); }", "    ship(o);"));
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

    @Test
    void aChangedGuardClauseDoesNotStopTheComparison() throws IOException {
        JavaFileObject now = orders(
                "    if (o == null) { throw new IllegalArgumentException(); }", "    reserve(o);", "    ship(o);");
        Compilation c = compileAgainst(
                orders("    if (o.isEmpty()) { return o; }", "    reserve(o);", "    charge(o);", "    ship(o);"), now);
        assertThat(c)
                .hadErrorContaining("STEP 'charge' was removed before it")
                .inFile(now)
                .onLineContaining("ship(o);");
    }

    @Test
    void operationsRemovedAtTheEndAreSilent() throws IOException {
        assertSilent(orders(BASELINE), orders("    reserve(o);", "    charge(o);"));
    }

    @Test
    void codeHandedTheFunctionIsOpaque() {
        String manifest = manifestOf(orders("    reserve(o);", "    java.util.Objects.requireNonNull(this);"));
        assertThat(manifest).contains("opaque 0 \"call of requireNonNull() that may run durable operations\"");
    }

    @Test
    void aManifestReadsBackAsItWasWritten() {
        String text = manifestOf(orders(
                "    if (dev.durable.Durable.patched(\"a \\\"quoted\\\" id\")) { reserve(o); } else { charge(o); }",
                "    switch (o.length()) { case 1: ship(o); break; default: approve(o); }",
                "    try { coolingOff(); } finally { notifyCustomer(o); }",
                "    dev.durable.Durable.deprecatePatch(\"old\");"));
        assertThat(OperationManifest.read(text, "orders.v1.txt").write()).isEqualTo(text);
        assertThat(text).contains("deprecated \"old\"");
    }
}
