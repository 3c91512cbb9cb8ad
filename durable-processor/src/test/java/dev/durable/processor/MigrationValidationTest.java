package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.LINT;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Step(resultVersion)} and {@code @StepMigration}: one test per rule, pinning the message and the line. */
class MigrationValidationTest {
    /**
     * A valid function class whose step 'quote' returns {@code Quote} at result version 2, with {@code members}
     * added; {@code QuoteV1} is what it returned at version 1.
     */
    private static JavaFileObject quotes(String... members) {
        String[] lines = new String[members.length + 7];
        lines[0] = "@DurableFunction";
        lines[1] = "public class Quotes {";
        lines[2] = "  public record QuoteV1(int price) {}";
        lines[3] = "  public record Quote(int amount, String currency) {}";
        lines[4] = "  @Handler public Quote handle(String in) { return quote(in); }";
        lines[5] = "  @Step(value = \"quote\", resultVersion = 2) Quote quote(String in) { return null; }";
        System.arraycopy(members, 0, lines, 6, members.length);
        lines[lines.length - 1] = "}";
        return source("Quotes", lines);
    }

    private static void assertError(JavaFileObject file, String message, String line) {
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
    }

    @Test
    void aValidMigrationCompilesWithoutWarningsAndTheProxyLeavesItAlone() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1)",
                "private static Quote fromV1(QuoteV1 old) { return new Quote(old.price(), \"EUR\"); }");
        Compilation compilation = compile(LINT, f);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile("test.Quotes_Durable")
                .contentsAsUtf8String()
                .doesNotContain("fromV1");
    }

    @Test
    void aMigrationMayReadTheOldResultAsJson() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1)",
                "static Quote fromV1(com.fasterxml.jackson.databind.JsonNode old) {",
                "  return new Quote(old.get(\"price\").asInt(), \"EUR\"); }");
        assertThat(compile(LINT, f)).succeededWithoutWarnings();
    }

    @Test
    void aMigrationMustNameAStepOfItsClass() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"price\", from = 1)", "static Quote fromV1(QuoteV1 old) { return null; }");
        assertError(
                f,
                "@StepMigration method fromV1(QuoteV1) converts results of step 'price', which no @Step method of"
                        + " Quotes has (its steps: quote): name the step as it is journaled, its @Step value or its"
                        + " method name",
                "step = \"price\"");
    }

    @Test
    void aMigrationConvertsFromAVersionBelowTheSteps() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 2)", "static Quote fromV2(QuoteV1 old) { return null; }");
        assertError(
                f,
                "@StepMigration method fromV2(QuoteV1) converts from result version 2, but step 'quote'"
                        + " (quote(String)) has result version 2: a migration converts from an older version, 1 to 1;"
                        + " raise @Step(resultVersion) when the step's result type changes",
                "from = 2");
    }

    @Test
    void aMigrationFromVersionZeroIsRefused() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 0)", "static Quote fromV0(QuoteV1 old) { return null; }");
        assertError(f, "@StepMigration method fromV0(QuoteV1) converts from result version 0", "from = 0");
    }

    @Test
    void aStepAtVersionOneHasNothingToMigrate() {
        JavaFileObject f = source(
                "Quotes",
                "@DurableFunction public class Quotes {",
                "  @Handler public String handle(String in) { return quote(in); }",
                "  @Step String quote(String in) { return in; }",
                "  @StepMigration(step = \"quote\", from = 1)",
                "  static String fromV1(String old) { return old; }",
                "}");
        assertError(
                f,
                "has result version 1: a migration converts from an older version, and version 1 has none; raise"
                        + " @Step(resultVersion)",
                "@StepMigration(step = \"quote\", from = 1)");
    }

    @Test
    void aMigrationTakesExactlyOneParameter() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1)",
                "static Quote fromV1(QuoteV1 old, String currency) { return null; }");
        assertError(
                f,
                "@StepMigration method fromV1(QuoteV1, String) takes 2 parameters: it takes one, the old result as"
                        + " the step returned it at that version (or a JsonNode)",
                "@StepMigration(step = \"quote\", from = 1)");
    }

    @Test
    void aMigrationIsStatic() {
        JavaFileObject f =
                quotes("@StepMigration(step = \"quote\", from = 1)", "Quote fromV1(QuoteV1 old) { return null; }");
        assertError(
                f,
                "@StepMigration method fromV1(QuoteV1) is not static: a migration runs on every replay of an old"
                        + " result and must depend on nothing but that value; make it static",
                "@StepMigration(step = \"quote\", from = 1)");
    }

    @Test
    void aMigrationReturnsTheStepsResultType() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1)", "static QuoteV1 fromV1(QuoteV1 old) { return old; }");
        assertError(
                f,
                "@StepMigration method fromV1(QuoteV1) returns test.Quotes.QuoteV1, which is not the result type"
                        + " test.Quotes.Quote of step 'quote' (quote(String)): return what the step returns now",
                "static QuoteV1 fromV1");
    }

    @Test
    void aMigrationIsNotItselfDurable() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1) @Step", "Quote fromV1(QuoteV1 old) { return null; }");
        assertError(
                f,
                "@StepMigration method fromV1(QuoteV1) is also @Step: a migration is a plain method the engine calls"
                        + " on replay; move the migration into a method of its own",
                "@StepMigration(step = \"quote\", from = 1) @Step");
    }

    @Test
    void twoMigrationsOfOneStepFromOneVersionAreRefusedAtTheSecond() {
        JavaFileObject f = quotes(
                "@StepMigration(step = \"quote\", from = 1)",
                "static Quote fromV1(QuoteV1 old) { return null; }",
                "@StepMigration(step = \"quote\", from = 1) static Quote fromJson(",
                "    com.fasterxml.jackson.databind.JsonNode old) { return null; }");
        assertError(
                f,
                "@StepMigration method fromJson(JsonNode) and fromV1(QuoteV1) both convert step 'quote' from result"
                        + " version 1: keep one",
                "static Quote fromJson(");
    }

    @Test
    void aResultVersionBelowOneIsRefused() {
        JavaFileObject f = source(
                "Quotes",
                "@DurableFunction public class Quotes {",
                "  @Handler public String handle(String in) { return quote(in); }",
                "  @Step(resultVersion = 0) String quote(String in) { return in; }",
                "}");
        assertError(
                f,
                "@Step resultVersion is 0: result versions count from 1, the version of results journaled before"
                        + " versions were given",
                "resultVersion = 0");
    }

    @Test
    void aMigrationOutsideADurableFunctionIsRefused() {
        JavaFileObject f = source(
                "Migrations",
                "public class Migrations {",
                "  @StepMigration(step = \"quote\", from = 1)",
                "  static String fromV1(String old) { return old; }",
                "}");
        assertError(
                f,
                "@StepMigration method fromV1(String) is in Migrations, which is not a @DurableFunction: put it in"
                        + " the class of the step it converts",
                "@StepMigration(step = \"quote\", from = 1)");
    }
}
