package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.OrdersVersions.BASELINE;
import static dev.durable.processor.OrdersVersions.manifestOf;
import static dev.durable.processor.OrdersVersions.orders;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest the processor writes for a durable function: what it understood, and where it could not see. */
class OperationManifestTest {
    @TempDir
    Path dir;

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
    void theWriteOptionKeepsABaselineUpToDate() throws IOException {
        Path baseline = dir.resolve("baseline");
        Compilation c = compile(List.of("-Adurable.compat.write=" + baseline), orders(BASELINE));
        assertThat(c).succeeded();
        assertThat(Files.readString(baseline.resolve("orders.v1.txt"))).isEqualTo(manifestOf(orders(BASELINE)));
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

    @Test
    void aStepsResultVersionAndTheVersionsItMigratesFromAreWrittenAndReadBack() {
        String text = manifestOf(OrdersVersions.orders(
                "@DurableFunction(\"orders\")",
                List.of(
                        "@Step(value = \"quote\", resultVersion = 3) public String price(String o) { return o; }",
                        "@StepMigration(step = \"quote\", from = 2) static String fromV2(String old) { return old; }",
                        "@StepMigration(step = \"quote\", from = 1) static String fromV1(String old) { return old; }",
                        "@Step public String reserve(String o) { return o; }"),
                "    price(o);",
                "    reserve(o);"));
        assertThat(text)
                .contains(String.join(
                        "\n",
                        "op STEP \"quote\" java.lang.String result-version 3 migrates-from 1,2",
                        "op STEP \"reserve\" java.lang.String\n"));
        assertThat(OperationManifest.read(text, "orders.v1.txt").write()).isEqualTo(text);
    }

    @Test
    void resultTypesAreBoxedGenericAndTypeVariablesAreTheirBounds() {
        String manifest = manifestOf(OrdersVersions.orders(
                "@DurableFunction(\"orders\")",
                List.of(
                        "@Step public int count(String o) { return 1; }",
                        "@Step public List<Map<String, Integer[]>> lines() { return null; }",
                        "@Step public <N extends Number> N amount() { return null; }"),
                "    count(o);",
                "    lines();",
                "    amount();"));
        assertThat(manifest)
                .contains(String.join(
                        "\n",
                        "op STEP \"count\" java.lang.Integer",
                        "op STEP \"lines\" java.util.List<java.util.Map<java.lang.String,java.lang.Integer[]>>",
                        "op STEP \"amount\" java.lang.Number"));
    }
}
