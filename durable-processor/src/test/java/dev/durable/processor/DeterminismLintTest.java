package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeterminismLintTest {
    /** A function class whose handler body is {@code body}. */
    private static JavaFileObject handler(String... body) {
        String[] lines = new String[body.length + 4];
        lines[0] = "@DurableFunction";
        lines[1] = "public class Orders {";
        lines[2] = "  @Handler public void handle() throws Exception {";
        System.arraycopy(body, 0, lines, 3, body.length);
        lines[lines.length - 1] = "  }}";
        return source("Orders", lines);
    }

    @Test
    void nonDeterministicCallInAHandlerIsAWarningWithTheFix() {
        JavaFileObject f = handler("long started = System.currentTimeMillis();");

        Compilation compilation = compile(f);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.currentTimeMillis() is not deterministic, and a @Handler"
                        + " re-runs from the top on every resume: use Durable.context().now(), or read the clock inside a @Step"
                        + " (or add @SuppressWarnings(\"durable-determinism\"))")
                .inFile(f)
                .onLineContaining("long started");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "long t = System.nanoTime();                                 | System.nanoTime()           | Durable.context().now()",
                "Instant t = Instant.now();                                  | Instant.now()               | Durable.context().now()",
                "LocalDateTime t = LocalDateTime.now();                      | LocalDateTime.now()         | Durable.context().now()",
                "LocalDate t = LocalDate.now();                              | LocalDate.now()             | Durable.context().now()",
                "ZonedDateTime t = ZonedDateTime.now();                      | ZonedDateTime.now()         | Durable.context().now()",
                "OffsetDateTime t = OffsetDateTime.now();                    | OffsetDateTime.now()        | Durable.context().now()",
                "Random r = new Random(42);                                  | new Random()                | Durable.context().random()",
                "Random r = new java.security.SecureRandom();                | new Random()                | Durable.context().random()",
                "double r = Math.random();                                   | Math.random()               | Durable.context().random()",
                "UUID id = UUID.randomUUID();                                | UUID.randomUUID()           | Durable.context().uuid()",
                "Thread.sleep(1000);                                         | Thread.sleep()              | Durable.context().wait(...) or a @Wait method",
                "new Thread(() -> {});                                       | new Thread()                | Durable.context().parallel(...) or map(...)",
                "Thread t = null; t.start();                                 | Thread.start()              | Durable.context().parallel(...) or map(...)",
                "java.util.concurrent.Executors.newFixedThreadPool(2);       | Executors.newFixedThreadPool() | Durable.context().parallel(...) or map(...)",
            })
    void eachNonDeterministicCallNamesItsReplacement(String statement, String call, String fix) {
        JavaFileObject f = handler(statement);

        Compilation compilation = compile(f);

        assertThat(compilation)
                .hadWarningContaining(call + " is not deterministic")
                .inFile(f)
                .onLine(6);
        assertThat(compilation).hadWarningContaining("use " + fix);
    }

    @Test
    void lintErrorModeMakesItAnError() {
        JavaFileObject f = handler("Instant t = Instant.now();");

        Compilation compilation = compile(List.of("-Adurable.lint=error"), f);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("Instant.now() is not deterministic")
                .inFile(f)
                .onLineContaining("Instant.now()");
    }

    @Test
    void lintOffModeSilencesIt() {
        assertThat(compile(List.of("-Adurable.lint=off"), handler("Instant t = Instant.now();")))
                .succeededWithoutWarnings();
    }

    @Test
    void unknownLintModeWarnsAndKeepsWarning() {
        Compilation compilation = compile(List.of("-Adurable.lint=loud"), handler("Instant t = Instant.now();"));

        assertThat(compilation)
                .hadWarningContaining(
                        "-Adurable.lint=loud is not a lint mode: write warn, error or off;" + " using warn");
        assertThat(compilation).hadWarningContaining("Instant.now() is not deterministic");
    }

    @Test
    void suppressWarningsOnTheHandlerSilencesIt() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler @SuppressWarnings(\"durable-determinism\")",
                "  public long handle() { return System.currentTimeMillis(); }",
                "}");
        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void suppressWarningsOnTheClassSilencesIt() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction @SuppressWarnings({\"unchecked\", \"durable-determinism\"})",
                "public class Orders {",
                "  @Handler public long handle() { return System.currentTimeMillis(); }",
                "}");
        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void lambdasPassedToStepsAreStepBodiesButOtherLambdasAreNot() {
        JavaFileObject f = handler(
                "dev.durable.DurableContext ctx = dev.durable.Durable.context();",
                "long a = ctx.step(\"clock\", Long.class, s -> System.currentTimeMillis());",
                "List.of(1).forEach(i -> System.nanoTime());");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.nanoTime()")
                .inFile(f)
                .onLineContaining("forEach");
    }

    @Test
    void stepMethodsAndOtherMethodsAreNotLinted() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public Instant handle() { return stamp(); }",
                "  @Step Instant stamp() { return Instant.now(); }",
                "  long helper() { return System.nanoTime(); }",
                "}");
        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void handlerOfANestedClassIsLinted() {
        JavaFileObject f = source(
                "Shop",
                "public class Shop {",
                "  @DurableFunction",
                "  public static class Orders {",
                "    @Handler public double handle() { return Math.random(); }",
                "  }",
                "}");
        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("Math.random() is not deterministic")
                .inFile(f)
                .onLineContaining("Math.random()");
    }

    private static final String CATCH_ADVICE = "catch Exception instead, or rethrow what you catch";

    @Test
    void catchThrowableAroundAStepMethodIsAWarningThatSaysWhatToDo() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public String handle(String id) {",
                "    try {",
                "      return reserve(id);",
                "    } catch (Throwable t) {",
                "      return \"failed\";",
                "    }",
                "  }",
                "  @Step public String reserve(String id) { return id; }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("catch (Throwable t) around reserve(), a durable call, also"
                        + " catches the Error the engine throws to suspend the handler while it waits, and swallowing it breaks"
                        + " the execution: " + CATCH_ADVICE + " (or add @SuppressWarnings(\"durable-determinism\"))")
                .inFile(f)
                .onLineContaining("catch (Throwable t)");
    }

    @Test
    void catchErrorOrAMultiCatchWithErrorAroundContextCallsIsFlagged() {
        JavaFileObject f = handler(
                "dev.durable.DurableContext ctx = dev.durable.Durable.context();",
                "try { ctx.wait(\"cool-off\", Duration.ofHours(1)); } catch (Error e) { }",
                "try { ctx.step(\"charge\", String.class, s -> \"ok\"); }",
                "catch (IllegalStateException | Error e) { }");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(2);
        assertThat(compilation)
                .hadWarningContaining("catch (Error e) around wait(), a durable call")
                .inFile(f)
                .onLineContaining("cool-off");
        assertThat(compilation)
                .hadWarningContaining("catch (IllegalStateException | Error e) around step()," + " a durable call")
                .inFile(f)
                .onLineContaining("catch (IllegalStateException | Error e)");
    }

    @Test
    void catchThrowableAroundDurableCallsIsAnErrorInLintErrorMode() {
        JavaFileObject f = handler(
                "dev.durable.DurableContext ctx = dev.durable.Durable.context();",
                "try { ctx.wait(\"cool-off\", Duration.ofHours(1)); } catch (Throwable t) { }");

        Compilation compilation = compile(List.of("-Adurable.lint=error"), f);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("catch (Throwable t) around wait(), a durable call")
                .inFile(f)
                .onLineContaining("cool-off");
    }

    @Test
    void catchExceptionAroundDurableCallsIsNotFlagged() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public String handle(String id) {",
                "    dev.durable.DurableContext ctx = dev.durable.Durable.context();",
                "    try {",
                "      ctx.wait(\"cool-off\", Duration.ofHours(1));",
                "      return reserve(id);",
                "    } catch (Exception e) {",
                "      return \"failed\";",
                "    }",
                "  }",
                "  @Step public String reserve(String id) { return id; }",
                "}");

        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void catchThrowableAroundCodeWithoutDurableCallsIsNotFlagged() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public String handle(String id) {",
                "    String sku;",
                "    try {",
                "      sku = helper(id);",
                "    } catch (Throwable t) {",
                "      sku = \"unknown\";",
                "    }",
                "    return reserve(sku);",
                "  }",
                "  @Step public String reserve(String id) { return id; }",
                "  String helper(String id) { return id.trim(); }",
                "}");

        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void catchThrowableThatRethrowsIsNotFlagged() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public String handle(String id) {",
                "    try {",
                "      return reserve(id);",
                "    } catch (Throwable t) {",
                "      System.out.println(\"reserve failed\");",
                "      throw t;",
                "    }",
                "  }",
                "  @Step public String reserve(String id) { return id; }",
                "}");

        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void catchThrowableInsideAStepBodyIsNotFlagged() {
        JavaFileObject f = handler(
                "dev.durable.DurableContext ctx = dev.durable.Durable.context();",
                "String r = ctx.step(\"charge\", String.class, s -> {",
                "  try { return String.valueOf(s.attempt()); } catch (Throwable t) { return \"x\"; }",
                "});");

        assertThat(compile(f)).succeededWithoutWarnings();
    }

    @Test
    void suppressWarningsSilencesTheCatchWarning() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler @SuppressWarnings(\"durable-determinism\")",
                "  public String handle(String id) {",
                "    try { return reserve(id); } catch (Throwable t) { return \"failed\"; }",
                "  }",
                "  @Step public String reserve(String id) { return id; }",
                "}");

        assertThat(compile(f)).succeededWithoutWarnings();
    }
}
