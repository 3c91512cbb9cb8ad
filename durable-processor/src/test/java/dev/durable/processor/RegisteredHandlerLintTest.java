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

/** The determinism lint reads handlers registered with the context API as it reads {@code @Handler} methods. */
class RegisteredHandlerLintTest {
    private static final String IMPORTS = "import dev.durable.*; import dev.durable.runtime.local.LocalRuntime;";

    /** A plain class, no annotation anywhere, that registers a lambda whose block body is {@code body}. */
    private static JavaFileObject lambda(String... body) {
        String[] lines = new String[body.length + 7];
        lines[0] = IMPORTS;
        lines[1] = "public class Setup {";
        lines[2] = "  static void register(DurableRuntime runtime) {";
        lines[3] = "    runtime.register(\"orders\", String.class, String.class, (input, ctx) -> {";
        System.arraycopy(body, 0, lines, 4, body.length);
        lines[lines.length - 3] = "      return input;";
        lines[lines.length - 2] = "    });";
        lines[lines.length - 1] = "  }}";
        return source("Setup", lines);
    }

    @Test
    void lambdaRegisteredWithTheContextApiGetsTheHandlersWarningAtTheCall() {
        JavaFileObject f = lambda("      long started = System.currentTimeMillis();");

        Compilation compilation = compile(f);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.currentTimeMillis() is not deterministic, and a"
                        + " DurableHandler re-runs from the top on every resume: use ctx.now(), or read the clock inside"
                        + " ctx.step(...) (or add @SuppressWarnings(\"durable-determinism\"))")
                .inFile(f)
                .onLine(7)
                .atColumn(46);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Instant t = Instant.now();                    | Instant.now()        | ctx.now(), or read the clock inside ctx.step(...)",
                "Random r = new Random(42);                    | new Random()         | ctx.random(), or draw the number inside ctx.step(...)",
                "UUID id = UUID.randomUUID();                  | UUID.randomUUID()    | ctx.uuid(), or create it inside ctx.step(...)",
                "Thread.sleep(1000);                           | Thread.sleep()       | ctx.wait(...), which holds no thread and survives restarts",
                "java.util.concurrent.Executors.newSingleThreadExecutor(); | Executors.newSingleThreadExecutor() | ctx.parallel(...) or map(...), or start it inside ctx.step(...)",
            })
    void eachNonDeterministicCallNamesTheContextsReplacement(String statement, String call, String fix) {
        JavaFileObject f = lambda("      " + statement);

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining(call + " is not deterministic, and a DurableHandler")
                .inFile(f)
                .onLine(7);
        assertThat(compilation).hadWarningContaining("use " + fix);
    }

    @Test
    void lambdaWithOnlyDurableCallsGetsNoWarning() {
        JavaFileObject f = lambda(
                "      Instant now = ctx.now();",
                "      long drawn = ctx.random().nextLong();",
                "      UUID id = ctx.uuid();",
                "      long clock = ctx.step(\"clock\", Long.class, s -> System.currentTimeMillis());",
                "      ctx.wait(\"cool-off\", Duration.ofMinutes(5));");

        assertThat(compile(Compilations.LINT, f)).succeededWithoutWarnings();
    }

    @Test
    void lambdasNotRegisteredAsHandlersGetNoWarning() {
        JavaFileObject registry = source(
                "Registry",
                "public class Registry {",
                "  public interface Callback<A, B> { B call(A a, Object b) throws Exception; }",
                "  public <A, B> void register(String name, Class<A> in, Class<B> out, Callback<A, B> callback) {}",
                "}");
        JavaFileObject f = source(
                "Plain",
                "public class Plain {",
                "  void run(Registry registry) {",
                "    Runnable clock = () -> System.currentTimeMillis();",
                "    List.of(1).forEach(i -> Instant.now());",
                "    registry.register(\"orders\", String.class, Long.class, (a, b) -> System.nanoTime());",
                "  }",
                "}");

        assertThat(compile(Compilations.LINT, registry, f)).succeededWithoutWarnings();
    }

    @Test
    void contextParameterOfAnotherNameIsTheOneTheFixNames() {
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  static void register(DurableRuntime runtime) {",
                "    runtime.register(\"orders\", String.class, Instant.class, (order, context) -> Instant.now());",
                "  }",
                "}");

        assertThat(compile(f))
                .hadWarningContaining(
                        "Instant.now() is not deterministic, and a DurableHandler re-runs"
                                + " from the top on every resume: use context.now(), or read the clock inside context.step(...)")
                .inFile(f)
                .onLineContaining("Instant.now()");
    }

    @Test
    void typeTokenRegistrationOnALocalRuntimeWithACastLambdaIsLinted() {
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  static void register(LocalRuntime runtime) {",
                "    runtime.register(\"batches\", new TypeToken<List<String>>() {}, new TypeToken<Long>() {},",
                "        ((DurableHandler<List<String>, Long>) (items, ctx) -> System.nanoTime()));",
                "  }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.nanoTime() is not deterministic")
                .inFile(f)
                .onLineContaining("System.nanoTime()");
    }

    @Test
    void catchThrowableAroundAContextCallInARegisteredLambdaIsFlagged() {
        JavaFileObject f = lambda("      try { ctx.wait(\"cool-off\", Duration.ofHours(1)); } catch (Throwable t) { }");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("catch (Throwable t) around wait(), a durable call")
                .inFile(f)
                .onLineContaining("cool-off");
    }

    @Test
    void lintErrorModeMakesItAnErrorForLambdasToo() {
        JavaFileObject f = lambda("      Instant t = Instant.now();");

        Compilation compilation = compile(List.of("-Adurable.lint=error"), f);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("Instant.now() is not deterministic")
                .inFile(f)
                .onLineContaining("Instant.now()");
    }

    @Test
    void suppressWarningsAroundTheRegistrationSilencesIt() {
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  @SuppressWarnings(\"durable-determinism\")",
                "  static void register(DurableRuntime runtime) {",
                "    runtime.register(\"orders\", String.class, Long.class, (input, ctx) -> System.nanoTime());",
                "  }",
                "}");

        assertThat(compile(Compilations.LINT, f)).succeededWithoutWarnings();
    }

    @Test
    void methodReferenceToAMethodOfTheSameClassIsLinted() {
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  void register(DurableRuntime runtime) {",
                "    runtime.register(\"orders\", String.class, Long.class, this::handle);",
                "    runtime.register(\"audits\", String.class, Long.class, Setup::audit);",
                "  }",
                "  Long handle(String order, DurableContext context) { return System.currentTimeMillis(); }",
                "  static Long audit(String order, DurableContext ctx) { return ctx.now().toEpochMilli(); }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.currentTimeMillis() is not deterministic, and a"
                        + " DurableHandler re-runs from the top on every resume: use context.now()")
                .inFile(f)
                .onLineContaining("Long handle(");
    }

    @Test
    void methodReferenceToAnotherTopLevelClassIsNotRead() {
        JavaFileObject handlers = source(
                "Handlers",
                "public class Handlers {",
                "  public static Long handle(String order, dev.durable.DurableContext ctx) {",
                "    return System.currentTimeMillis();",
                "  }",
                "}");
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  void register(DurableRuntime runtime) {",
                "    runtime.register(\"orders\", String.class, Long.class, Handlers::handle);",
                "  }",
                "}");

        assertThat(compile(Compilations.LINT, handlers, f)).succeededWithoutWarnings();
    }

    @Test
    void unqualifiedRegisterInsideARuntimeIsLinted() {
        JavaFileObject f = source(
                "Wired",
                IMPORTS,
                "public abstract class Wired implements DurableRuntime {",
                "  void setUp() {",
                "    register(\"orders\", String.class, Long.class, (input, ctx) -> System.nanoTime());",
                "  }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.nanoTime() is not deterministic")
                .inFile(f)
                .onLineContaining("System.nanoTime()");
    }

    @Test
    void stepNamesAreEvaluatedByTheHandlerButStepBodiesAreNot() {
        JavaFileObject f = lambda(
                "      String a = ctx.step(\"at \" + Instant.now(), String.class, s -> \"a\");",
                "      String b = ctx.step(\"b\", String.class, new StepFunction<String>() {",
                "        public String apply(StepContext s) { return UUID.randomUUID().toString(); }",
                "      });");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("Instant.now() is not deterministic")
                .inFile(f)
                .onLineContaining("\"at \"");
    }

    @Test
    void lambdaRegisteredInANestedClassIsReportedOnce() {
        JavaFileObject f = source(
                "Setup",
                IMPORTS,
                "public class Setup {",
                "  static class Wiring {",
                "    void register(DurableRuntime runtime) {",
                "      runtime.register(\"orders\", String.class, Double.class, (input, ctx) -> Math.random());",
                "    }",
                "  }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("Math.random() is not deterministic")
                .inFile(f)
                .onLineContaining("Math.random()");
    }

    @Test
    void lambdaRegisteredInsideAHandlerIsReportedOnce() {
        JavaFileObject f = source(
                "Orders",
                IMPORTS,
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public void handle() {",
                "    DurableRuntime runtime = null;",
                "    runtime.register(\"inner\", String.class, Long.class, (input, ctx) -> System.nanoTime());",
                "  }",
                "}");

        Compilation compilation = compile(f);

        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("System.nanoTime() is not deterministic")
                .inFile(f)
                .onLineContaining("System.nanoTime()");
    }
}
