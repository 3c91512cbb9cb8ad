package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.OrdersVersions.BASELINE;
import static dev.durable.processor.OrdersVersions.METHODS;
import static dev.durable.processor.OrdersVersions.manifestOf;
import static dev.durable.processor.OrdersVersions.orders;
import static dev.durable.processor.OrdersVersions.withCharge;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile-time compatibility check: each breaking change is an error at the call site that breaks, each safe
 * change compiles silently. The baseline is the manifest a first compilation writes.
 */
class CompatibilityCheckTest {
    @TempDir
    Path dir;

    private Compilation compileAgainst(JavaFileObject before, JavaFileObject now, String... options)
            throws IOException {
        return OrdersVersions.compileAgainst(dir, before, now, options);
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
    void aRetypedStepIsToldItMayMigrateInstead() throws IOException {
        JavaFileObject now = withCharge("@Step public Integer charge(String o) { return 1; }");
        assertBreaks(
                now,
                "its result type changed from java.lang.String to java.lang.Integer, so the journaled result no longer"
                        + " reads as what the code expects (or give the step @Step(resultVersion = 2) and a"
                        + " @StepMigration(step = \"charge\", from = 1) method)",
                "charge(o);");
    }

    @Test
    void aRetypedStepAtTheNextResultVersionWithAMigrationIsSilent() throws IOException {
        JavaFileObject now = withCharge("@Step(resultVersion = 2) public Integer charge(String o) { return 1; }"
                + " @StepMigration(step = \"charge\", from = 1) static Integer fromV1(String old) { return 0; }");
        assertSilent(orders(BASELINE), now);
    }

    @Test
    void aRaisedResultVersionWithoutAMigrationFromTheBaselinesIsAnError() throws IOException {
        JavaFileObject now = withCharge("@Step(resultVersion = 2) public String charge(String o) { return o; }");
        assertBreaks(
                now,
                "its result version went up from 1 to 2 with no @StepMigration(step = \"charge\", from = 1), so a"
                        + " result journaled at version 1 would not read; add that migration",
                "charge(o);");
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
}
