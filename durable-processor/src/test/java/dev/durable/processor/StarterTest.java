package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import dev.durable.DurableRuntime;
import dev.durable.runtime.local.LocalRuntime;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The typed starters of a proxy: what they accept and return, checked by javac, and what they start. */
class StarterTest {
    private static final JavaFileObject ORDERS = source(
            "Orders",
            "@DurableFunction(\"orders\")",
            "public class Orders {",
            "  public record Order(String id, int total) {}",
            "  @Handler public String handle(Order order) { return reserve(order) + \":\" + order.total(); }",
            "  @Step String reserve(Order o) { return \"R-\" + o.id(); }",
            "}");

    /** A class in package {@code test} with the API imported, whose one method runs {@code body}. */
    private static JavaFileObject caller(String... body) {
        String[] lines = new String[body.length + 4];
        lines[0] = "import dev.durable.DurableRuntime; import dev.durable.Execution;";
        lines[1] = "public class Caller {";
        lines[2] = "  public static Object run(DurableRuntime runtime) throws Exception {";
        System.arraycopy(body, 0, lines, 3, body.length);
        lines[lines.length - 1] = "  }}";
        return source("Caller", lines);
    }

    @Test
    void starterReturnsAnExecutionOfTheHandlersResultType() {
        Compilation compilation = compile(
                Compilations.LINT,
                ORDERS,
                caller(
                        "Execution<String> started = Orders_Durable.start(runtime, \"o-1\", new Orders.Order(\"1\", 5));",
                        "Execution<String> newest = Orders_Durable.startNewest(runtime, \"o-2\", new Orders.Order(\"2\", 5));",
                        "return List.of(started, newest);"));

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void starterRefusesAnInputOfTheWrongTypeAtCompileTime() {
        JavaFileObject caller = caller("return Orders_Durable.start(runtime, \"o-1\", \"not an order\");");

        Compilation compilation = compile(ORDERS, caller);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("java.lang.String cannot be converted to test.Orders.Order")
                .inFile(caller)
                .onLineContaining("not an order");
    }

    @Test
    void starterRefusesAResultOfTheWrongTypeAtCompileTime() {
        JavaFileObject caller = caller(
                "Execution<Integer> e = Orders_Durable.start(runtime, \"o-1\", new Orders.Order(\"1\", 5));",
                "return e;");

        Compilation compilation = compile(ORDERS, caller);

        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("incompatible types")
                .inFile(caller)
                .onLineContaining("Execution<Integer>");
    }

    @Test
    void genericInputTypesAreCheckedWithTheirTypeArguments() {
        JavaFileObject function = source(
                "Batches",
                "@DurableFunction",
                "public class Batches {",
                "  public record Item(String sku) {}",
                "  @Handler public Map<String, Integer> handle(List<Item> items) { return Map.of(\"n\", items.size()); }",
                "}");
        JavaFileObject good = caller(
                "Execution<Map<String, Integer>> e = Batches_Durable.start(runtime, \"b-1\",",
                "    List.of(new Batches.Item(\"a\")));",
                "return e;");
        JavaFileObject bad =
                caller("List<String> skus = List.of(\"a\");", "return Batches_Durable.start(runtime, \"b-1\", skus);");

        assertThat(compile(Compilations.LINT, function, good)).succeededWithoutWarnings();
        Compilation wrong = compile(function, bad);
        assertThat(wrong).failed();
        assertThat(wrong)
                .hadErrorContaining("java.util.List<java.lang.String> cannot be converted to"
                        + " java.util.List<test.Batches.Item>")
                .inFile(bad)
                .onLineContaining("skus);");
    }

    @Test
    void voidHandlerWithoutInputGetsAStarterOfVoidWithoutInput(@TempDir Path dir) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        Compilations.LINT,
                        source(
                                "Ping",
                                "@DurableFunction",
                                "public class Ping {",
                                "  @Handler public void handle() {}",
                                "}")),
                dir);

        Method start = classes.load("test.Ping_Durable").getMethod("start", DurableRuntime.class, String.class);

        Assertions.assertThat(start.getGenericReturnType().getTypeName())
                .isEqualTo("dev.durable.Execution<java.lang.Void>");
    }

    @Test
    void starterSignatureKeepsTypeArgumentsAndBoxesPrimitives(@TempDir Path dir) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(source(
                        "Sizes",
                        "@DurableFunction",
                        "public class Sizes {",
                        "  @Handler public int handle(List<Optional<String>> names) { return names.size(); }",
                        "}")),
                dir);

        Method start =
                classes.load("test.Sizes_Durable").getMethod("start", DurableRuntime.class, String.class, List.class);

        Assertions.assertThat(start.getGenericReturnType().getTypeName())
                .isEqualTo("dev.durable.Execution<java.lang.Integer>");
        Assertions.assertThat(start.getGenericParameterTypes()[2].getTypeName())
                .isEqualTo("java.util.List<java.util.Optional<java.lang.String>>");
    }

    @Test
    void startersOfAGenericClassDeclareOnlyTheTypeVariablesTheHandlerUses(@TempDir Path dir) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        Compilations.LINT,
                        source(
                                "Lookup",
                                "@DurableFunction",
                                "public class Lookup<K extends Comparable<K>, V, U, L extends List<V>> {",
                                "  @Handler public L handle(K key) { return null; }",
                                "}"),
                        caller(
                                "Execution<List<Integer>> e = Lookup_Durable.<String, Integer, List<Integer>>start(runtime, \"l-1\",",
                                "    \"k\");",
                                "return e;")),
                dir);

        Method start = classes.load("test.Lookup_Durable")
                .getMethod("start", DurableRuntime.class, String.class, Comparable.class);

        Assertions.assertThat(Arrays.stream(start.getTypeParameters()).map(Object::toString))
                .containsExactly("K", "V", "L");
    }

    @Test
    void typeVariablesInArraysWildcardsIntersectionsAndEnclosingTypesAreDeclared(@TempDir Path dir) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        Compilations.LINT,
                        source(
                                "Sorter",
                                "@DurableFunction",
                                "public class Sorter<T, U, R, N> {",
                                "  @Handler public <Y, X extends Number & Comparable<Y>> Map<X, ? super R> handle(",
                                "      Map<U, ? extends T>[] inputs) { return null; }",
                                "}"),
                        source(
                                "Trees",
                                "@DurableFunction",
                                "public class Trees<V> {",
                                "  public class Node {}",
                                "  @Handler public Trees<V>.Node handle() { return null; }",
                                "}")),
                dir);

        Method sort =
                classes.load("test.Sorter_Durable").getMethod("start", DurableRuntime.class, String.class, Map[].class);
        Method tree = classes.load("test.Trees_Durable").getMethod("start", DurableRuntime.class, String.class);

        Assertions.assertThat(Arrays.stream(sort.getTypeParameters()).map(Object::toString))
                .containsExactly("T", "U", "R", "Y", "X");
        Assertions.assertThat(Arrays.stream(tree.getTypeParameters()).map(Object::toString))
                .containsExactly("V");
    }

    @Test
    void aUserMethodNamedStartNewestAnywhereInTheHierarchyMovesTheStarters() {
        JavaFileObject base =
                source("Base", "public class Base {", "  public static int startNewest(String s) { return 0; }", "}");
        JavaFileObject function = source(
                "Clocks",
                "@DurableFunction",
                "public class Clocks extends Base {",
                "  @Handler public String handle(String zone) { return zone; }",
                "}");

        Compilation compilation = compile(
                Compilations.LINT,
                base,
                function,
                caller(
                        "Execution<String> e = Clocks_Durable.Starter.startNewest(runtime, \"c-1\", \"UTC\");",
                        "return Clocks_Durable.startNewest(\"UTC\") + e.name();"));

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void anInstanceMethodNamedStartWithTheStartersSignatureStillCompiles() {
        JavaFileObject function = source(
                "Engines",
                "@DurableFunction",
                "public class Engines {",
                "  @Handler public String handle(String id) { return id; }",
                "  public dev.durable.Execution<String> start(dev.durable.DurableRuntime r, String name, String id) {",
                "    return null;",
                "  }",
                "}");

        assertThat(compile(Compilations.LINT, function)).succeededWithoutWarnings();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "String handle(List<Secret> secrets)",
                "String handle(Secret[] secrets)",
                "String handle(List<? extends Secret> secrets)",
                "String handle(List<? super Secret> secrets)",
                "<S extends Secret> String handle(S secret)",
                "Outer.Secret handle(String name)",
            })
    void handlerNamingAPrivateTypeGetsNoStarterAndNoError(String signature, @TempDir Path dir) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        Compilations.LINT,
                        source(
                                "Outer",
                                "public class Outer {",
                                "  private record Secret(String value) {}",
                                "  @DurableFunction",
                                "  public static class Vault {",
                                "    @Handler " + signature + " { return null; }",
                                "  }",
                                "}")),
                dir);

        Assertions.assertThat(classes.load("test.Outer_Vault_Durable").getDeclaredMethods())
                .extracting(Method::getName)
                .doesNotContain("start", "startNewest");
    }

    @Test
    void proxyJavadocSaysHowToStartAndStartersSayWhatTheyCall() {
        Compilation compilation = compile(
                source(
                        "Ping",
                        "@DurableFunction(\"\")",
                        "public class Ping {",
                        "  @Handler public void handle() {}",
                        "}"),
                Compilations.good("Jobs"));

        assertThat(compilation)
                .generatedSourceFile("test.Ping_Durable")
                .contentsAsUtf8String()
                .contains("<p>Start its executions with the static {@code start(runtime, executionName)}, typed by"
                        + " the {@code @Handler}.");
        assertThat(compilation)
                .generatedSourceFile("test.Ping_Durable")
                .contentsAsUtf8String()
                .contains("{@code runtime.start(Ping.class, executionName, null)} does untyped.");
        assertThat(compilation)
                .generatedSourceFile("test.Ping_Durable")
                .contentsAsUtf8String()
                .contains("{@code runtime.start(\"Ping\", executionName, null)} does untyped.");
        assertThat(compilation)
                .generatedSourceFile("shop.Jobs_Durable")
                .contentsAsUtf8String()
                .contains("<p>Start its executions with {@code Starter.start(runtime, executionName, input)}, typed by"
                        + " the {@code @Handler}: the\n * starters are in {@link Starter} because {@code Jobs} has a"
                        + " method named {@code start} or {@code startNewest}.");
    }

    @Test
    void startRunsTheHandlerAndReturnsItsTypedResult(@TempDir Path classesDir, @TempDir Path journal) throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        ORDERS,
                        caller(
                                "runtime.register(new Orders_Durable());",
                                "Execution<String> e = Orders_Durable.start(runtime, \"o-1\", new Orders.Order(\"1\", 5));",
                                "String receipt = e.result(Duration.ofSeconds(10));",
                                "return receipt + \" \" + e.function();")),
                classesDir);

        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            Object result = classes.load("test.Caller")
                    .getMethod("run", DurableRuntime.class)
                    .invoke(null, runtime);

            Assertions.assertThat(result).isEqualTo("R-1:5 orders");
        }
    }

    @Test
    void startPinsTheClassVersionWhileStartNewestTakesTheNewestOfTheName(
            @TempDir Path classesDir, @TempDir Path journal) throws Exception {
        JavaFileObject v1 = source(
                "GreeterV1",
                "@DurableFunction(value = \"greetings\", version = 1)",
                "public class GreeterV1 {",
                "  @Handler public String handle(String name) { return \"v1 \" + name; }",
                "}");
        JavaFileObject v2 = source(
                "GreeterV2",
                "@DurableFunction(value = \"greetings\", version = 2)",
                "public class GreeterV2 {",
                "  @Handler public String handle(String name) { return \"v2 \" + name; }",
                "}");
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        v1,
                        v2,
                        caller(
                                "runtime.register(new GreeterV1_Durable());",
                                "runtime.register(new GreeterV2_Durable());",
                                "String pinned = GreeterV1_Durable.start(runtime, \"g-1\", \"ada\").result(Duration.ofSeconds(10));",
                                "String newest = GreeterV1_Durable.startNewest(runtime, \"g-2\", \"ada\").result(Duration.ofSeconds(10));",
                                "return pinned + \", \" + newest;")),
                classesDir);

        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            Object result = classes.load("test.Caller")
                    .getMethod("run", DurableRuntime.class)
                    .invoke(null, runtime);

            Assertions.assertThat(result).isEqualTo("v1 ada, v2 ada");
        }
    }

    @Test
    void startNewestUsesTheClassesSimpleNameWhenTheAnnotationGivesNone(@TempDir Path classesDir, @TempDir Path journal)
            throws Exception {
        CompiledClasses classes = CompiledClasses.of(
                compile(
                        source(
                                "Echo",
                                "@DurableFunction",
                                "public class Echo {",
                                "  @Handler public List<String> handle(List<String> words) { return words; }",
                                "}"),
                        caller(
                                "String name = runtime.register(new Echo_Durable());",
                                "Execution<List<String>> e = Echo_Durable.startNewest(runtime, \"e-1\", List.of(\"a\", \"b\"));",
                                "return name + \" \" + e.function() + \" \" + e.result(Duration.ofSeconds(10));")),
                classesDir);

        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            Object result = classes.load("test.Caller")
                    .getMethod("run", DurableRuntime.class)
                    .invoke(null, runtime);

            Assertions.assertThat(result).isEqualTo("Echo Echo [a, b]");
        }
    }
}
