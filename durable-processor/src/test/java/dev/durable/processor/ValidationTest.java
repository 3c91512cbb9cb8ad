package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per rule: each pins the message and the line javac points at. */
class ValidationTest {
    /** A valid function class with {@code members} added. */
    private static JavaFileObject function(String... members) {
        String[] lines = new String[members.length + 3];
        lines[0] = "@DurableFunction";
        lines[1] = "public class Orders { @Handler public String handle(String in) { return in; }";
        System.arraycopy(members, 0, lines, 2, members.length);
        lines[lines.length - 1] = "}";
        return source("Orders", lines);
    }

    private static void assertError(JavaFileObject file, String message, String line) {
        Compilation compilation = compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
    }

    @Test
    void privateDurableMethodCannotBeOverridden() {
        JavaFileObject f = function("@Step", "private String reserve(String o) { return o; }");
        assertError(
                f,
                "@Step method reserve(String) is private, so the generated proxy cannot override it: use the"
                        + " agent (-javaagent:durable-agent.jar), or make it overridable (not private)",
                "private String reserve");
    }

    @Test
    void anAgentOnlyClassMayHavePrivateFinalAndStaticDurableMethodsAndGetsNoProxy() {
        JavaFileObject f = source(
                "Trips",
                "@DurableFunction(value = \"trips\", proxy = false)",
                "public final class Trips { @Handler public String handle(String in) { return reserve(in); }",
                "@Step private String reserve(String o) { return o; }",
                "@Wait(\"PT1H\") final void pause() {}",
                "@Step static String log(String o) { return o; }",
                "}");
        Compilation compilation = compile(f);
        assertThat(compilation).succeededWithoutWarnings();
        org.assertj.core.api.Assertions.assertThat(compilation.generatedSourceFiles())
                .isEmpty();
    }

    @Test
    void aVersionBelowOneIsAnErrorOnTheAnnotation() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction(value = \"orders\", version = 0)",
                "public class Orders { @Handler public String handle(String in) { return in; } }");
        assertError(f, "@DurableFunction Orders has version 0: versions count from 1", "version = 0");
    }

    @Test
    void anAgentOnlyClassIsStillValidated() {
        JavaFileObject f = source(
                "Trips",
                "@DurableFunction(proxy = false)",
                "public class Trips { @Handler public String handle(String in) { return in; }",
                "@Wait(\"24h\") private void pause() {}",
                "}");
        assertError(f, "@Wait value \"24h\" is not an ISO-8601 duration", "@Wait(\"24h\")");
    }

    @Test
    void finalDurableMethodCannotBeOverridden() {
        JavaFileObject f = function("@Wait(\"PT1H\")", "final void pause() {}");
        assertError(
                f,
                "@Wait method pause() is final, so the generated proxy cannot override it: use the agent"
                        + " (-javaagent:durable-agent.jar), or make it overridable (not final)",
                "final void pause()");
    }

    @Test
    void staticDurableMethodCannotBeOverridden() {
        JavaFileObject f = function("@Step", "static String reserve(String o) { return o; }");
        assertError(
                f,
                "@Step method reserve(String) is static, so the generated proxy cannot override it",
                "static String reserve");
    }

    @Test
    void finalClassCannotBeExtended() {
        JavaFileObject f =
                source("Orders", "@DurableFunction", "public final class Orders { @Handler public void handle() {} }");
        assertError(
                f,
                "@DurableFunction class Orders is final, so the generated proxy cannot extend it: use the agent"
                        + " (-javaagent:durable-agent.jar), or make it overridable (remove final)",
                "public final class Orders");
    }

    @Test
    void abstractClassCannotBeInstantiatedThroughItsProxy() {
        JavaFileObject f = source(
                "Orders", "@DurableFunction", "public abstract class Orders { @Handler public void handle() {} }");
        assertError(
                f,
                "@DurableFunction class Orders is abstract, so its generated proxy could not be instantiated",
                "public abstract class Orders");
    }

    @Test
    void innerClassCannotBeExtended() {
        JavaFileObject f = source(
                "Shop",
                "public class Shop {",
                "  @DurableFunction",
                "  public class Orders { @Handler public void handle() {} }",
                "}");
        assertError(
                f,
                "@DurableFunction class Orders is an inner class, so the generated proxy cannot extend it:"
                        + " make it static",
                "public class Orders");
    }

    @Test
    void privateNestedClassCannotBeExtended() {
        JavaFileObject f = source(
                "Shop",
                "public class Shop {",
                "  @DurableFunction",
                "  private static class Orders { @Handler public void handle() {} }",
                "}");
        assertError(
                f,
                "@DurableFunction class Orders is private, so the generated proxy Shop_Orders_Durable cannot"
                        + " extend it: make it package-private or wider",
                "private static class Orders");
    }

    @Test
    void durableFunctionMustBeAClass() {
        JavaFileObject f = source("Orders", "@DurableFunction", "public interface Orders { @Handler void handle(); }");
        assertError(f, "@DurableFunction Orders is an interface, not a class", "@DurableFunction");
    }

    @Test
    void classNeedsANonPrivateConstructor() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders { private Orders() {} @Handler public void handle() {} }");
        assertError(
                f,
                "@DurableFunction class Orders has no non-private constructor, so the generated proxy"
                        + " Orders_Durable cannot call one: make a constructor package-private or wider",
                "public class Orders");
    }

    @Test
    void classNeedsAHandler() {
        JavaFileObject f = source(
                "Orders", "@DurableFunction", "public class Orders { @Step String reserve(String o) { return o; } }");
        assertError(
                f,
                "@DurableFunction class Orders has no @Handler method: mark its entry point with @Handler",
                "@DurableFunction");
    }

    @Test
    void classHasOnlyOneHandler() {
        JavaFileObject f = function("@Handler // the second", "public String other(String in) { return in; }");
        assertError(
                f,
                "@DurableFunction class Orders has 2 @Handler methods (handle(String), other(String)): a"
                        + " durable function has exactly one entry point",
                "@Handler // the second");
    }

    @Test
    void handlerTakesAtMostOneParameter() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler",
                "  public void handle(String a, int b) {}",
                "}");
        assertError(
                f,
                "@Handler method handle(String, int) takes 2 parameters: a handler takes the execution's input"
                        + " as its only parameter, or none; wrap the values in one record",
                "public void handle");
    }

    @Test
    void malformedWaitDurationIsReportedOnTheValue() {
        JavaFileObject f = function("@Wait(\"24h\")", "void pause() {}");
        assertError(
                f,
                "@Wait value \"24h\" is not an ISO-8601 duration: write e.g. \"PT30S\", \"PT24H\" or \"P7D\"",
                "@Wait(\"24h\")");
    }

    @Test
    void malformedCallbackTimeoutsAreReportedOnTheirValues() {
        JavaFileObject f = function(
                "@Callback(",
                "    timeout = \"7 days\",",
                "    heartbeatTimeout = \"PT1X\")",
                "String approve(String o) { return null; }");
        Compilation compilation = compile(f);
        assertThat(compilation)
                .hadErrorContaining("@Callback timeout \"7 days\" is not an ISO-8601 duration")
                .inFile(f)
                .onLineContaining("timeout = \"7 days\"");
        assertThat(compilation)
                .hadErrorContaining("@Callback heartbeatTimeout \"PT1X\" is not an ISO-8601 duration")
                .inFile(f)
                .onLineContaining("heartbeatTimeout = \"PT1X\"");
    }

    @Test
    void malformedRetryDelaysAreReportedOnTheNestedValues() {
        JavaFileObject f = function(
                "@Step(retry = @Retry(",
                "    initialDelay = \"1s\",",
                "    maxDelay = \"PT-5M\"))",
                "String reserve(String o) { return o; }");
        Compilation compilation = compile(f);
        assertThat(compilation)
                .hadErrorContaining("@Retry initialDelay \"1s\" is not an ISO-8601 duration")
                .inFile(f)
                .onLineContaining("initialDelay = \"1s\"");
        assertThat(compilation)
                .hadErrorContaining("@Retry maxDelay \"PT-5M\" is negative: a duration must be zero or" + " more")
                .inFile(f)
                .onLineContaining("maxDelay = \"PT-5M\"");
    }

    @Test
    void waitNeedsAFixedDurationOrADurationOrInstantParameter() {
        JavaFileObject f = function("@Wait", "void pause(String why) {}");
        assertError(
                f,
                "@Wait method pause(String) has no duration: write @Wait(\"PT1H\"), or give the method a"
                        + " java.time.Duration (wait this long) or java.time.Instant (wait until then) parameter",
                "@Wait");
    }

    @Test
    void streamsCannotBeCheckpointed() {
        JavaFileObject f = function("@Step", "java.util.stream.Stream<String> lines() { return null; }");
        assertError(
                f,
                "@Step method lines() returns java.util.stream.Stream<java.lang.String>, which cannot be"
                        + " checkpointed in the journal: collect it into a List inside the method",
                "Stream<String> lines()");
    }

    @Test
    void ioResourcesCannotBeCheckpointed() {
        JavaFileObject f = function("@Callback", "InputStream download() { return null; }");
        assertError(
                f,
                "@Callback method download() returns java.io.InputStream, which cannot be checkpointed in the"
                        + " journal: read it inside the method and return the bytes",
                "InputStream download()");
    }

    @Test
    void iteratorsCannotBeCheckpointed() {
        JavaFileObject f = function("@Step", "ListIterator<String> cursor() { return null; }");
        assertError(f, "which cannot be checkpointed in the journal: return a List", "ListIterator<String> cursor()");
    }

    @Test
    void objectNeedsACustomSerdes() {
        JavaFileObject f = function("@Step", "Object anything() { return null; }");
        assertError(
                f,
                "@Step method anything() returns Object, which the journal cannot read back as a concrete type:"
                        + " declare the concrete return type, or set @Step(serdes = ...)",
                "Object anything()");
    }

    @Test
    void objectWithACustomSerdesIsAccepted() {
        JavaFileObject serdes = source(
                "Text",
                "public class Text implements dev.durable.SerDes {",
                "  public String serialize(Object v, java.lang.reflect.Type t) { return String.valueOf(v); }",
                "  public Object deserialize(String d, java.lang.reflect.Type t) { return d; }",
                "}");
        assertThat(compile(function("@Step(serdes = Text.class)", "Object anything() { return null; }"), serdes))
                .succeededWithoutWarnings();
    }

    @Test
    void serdesMustImplementSerDes() {
        JavaFileObject f = function("@Step(", "    serdes = String.class)", "String reserve(String o) { return o; }");
        assertError(f, "@Step serdes java.lang.String does not implement dev.durable.SerDes", "serdes = String.class");
    }

    @Test
    void serdesNeedsAPublicNoArgumentConstructor() {
        JavaFileObject serdes = source(
                "Text",
                "public class Text implements dev.durable.SerDes {",
                "  public Text(String charset) {}",
                "  public String serialize(Object v, java.lang.reflect.Type t) { return String.valueOf(v); }",
                "  public Object deserialize(String d, java.lang.reflect.Type t) { return d; }",
                "}");
        JavaFileObject f = function("@Step(", "    serdes = Text.class)", "String reserve(String o) { return o; }");
        Compilation compilation = compile(f, serdes);
        assertThat(compilation)
                .hadErrorContaining("@Step serdes test.Text needs a public no-argument constructor:"
                        + " the engine creates one instance of it for the method")
                .inFile(f)
                .onLineContaining("serdes =");
    }

    @Test
    void retryNeedsAtLeastOneAttempt() {
        JavaFileObject f =
                function("@Step(retry = @Retry(", "    maxAttempts = 0))", "String reserve(String o) { return o; }");
        assertError(
                f,
                "@Retry maxAttempts is 0: it counts every attempt, the first included, so it must be at"
                        + " least 1 (1 means no retry)",
                "maxAttempts = 0");
    }

    @Test
    void retryBackoffMustNotShrinkDelays() {
        JavaFileObject f =
                function("@Step(retry = @Retry(", "    backoff = 0.5))", "String reserve(String o) { return o; }");
        assertError(f, "@Retry backoff is 0.5: it multiplies each delay, so it must be at least 1.0", "backoff = 0.5");
    }

    @Test
    void retryJitterIsAFraction() {
        JavaFileObject f =
                function("@Step(retry = @Retry(", "    jitter = 1.5))", "String reserve(String o) { return o; }");
        assertError(
                f,
                "@Retry jitter is 1.5: it is the fraction of each delay randomised away, so it must be between"
                        + " 0 and 1",
                "jitter = 1.5");
    }

    @Test
    void retrySettingsAtTheEdgesOfTheirRangesAreAccepted() {
        for (String retry : new String[] {
            "maxAttempts = 1",
            "backoff = 1.0",
            "jitter = 0.0",
            "jitter = 1.0",
            "maxAttempts = 1, backoff = 1.0, jitter = 1.0"
        }) {
            JavaFileObject f =
                    function("@Step(retry = @Retry(" + retry + "))", "String reserve(String o) { return o; }");
            assertThat(compile(f)).succeededWithoutWarnings();
        }
    }

    @Test
    void durableMethodsOnInterfacesAreRejected() {
        JavaFileObject f = source(
                "Api", "public interface Api {", "  @Step", "  default String reserve(String o) { return o; }", "}");
        assertError(
                f,
                "@Step method reserve(String) is declared in interface Api: durable methods must be implemented"
                        + " in a @DurableFunction class",
                "@Step");
    }

    @Test
    void abstractDurableMethodsAreRejected() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public abstract class Orders {",
                "  @Handler public void handle() {}",
                "  @Step",
                "  abstract String reserve(String o);",
                "}");
        assertError(
                f,
                "@Step method reserve(String) is abstract: a durable method needs a body to checkpoint;"
                        + " implement it",
                "abstract String reserve");
    }

    @Test
    void twoDurableAnnotationsOnOneMethodConflict() {
        JavaFileObject f = function("@Step", "@Callback", "String reserve(String o) { return o; }");
        assertError(
                f,
                "method reserve(String) has both @Step and @Callback: a method is one durable operation; split"
                        + " it into two methods",
                "@Callback");
    }

    @Test
    void handlerCannotAlsoBeADurableOperation() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler",
                "  @Step",
                "  public void handle() {}",
                "}");
        assertError(
                f,
                "@Handler method handle() cannot also be @Step: the handler is the execution itself; move the"
                        + " @Step into a method of its own",
                "@Step");
    }

    @Test
    void durableMethodsOutsideADurableFunctionAskForIt() {
        JavaFileObject f =
                source("Orders", "public class Orders {", "  @Step", "  String reserve(String o) { return o; }", "}");
        assertError(
                f,
                "@Step method reserve(String) is in Orders, which is not a @DurableFunction: add"
                        + " @DurableFunction to Orders",
                "@Step");
    }

    @Test
    void handlerOutsideADurableFunctionAsksForIt() {
        JavaFileObject f = source("Orders", "public class Orders {", "  @Handler", "  public void handle() {}", "}");
        assertError(
                f,
                "@Handler method handle() is in Orders, which is not a @DurableFunction: add @DurableFunction"
                        + " to Orders",
                "@Handler");
    }

    @Test
    void typeVariableInThrowsCannotBeRethrown() {
        JavaFileObject f = function("@Step", "<X extends Exception> String reserve(String o) throws X { return o; }");
        assertError(
                f,
                "@Step method reserve(String) throws the type variable X, which the generated proxy cannot"
                        + " rethrow",
                "throws X");
    }

    @Test
    void everyProblemOfAClassIsReportedAtOnce() {
        JavaFileObject f = source(
                "Orders",
                "@DurableFunction",
                "public final class Orders {",
                "  @Step private String a(String o) { return o; }",
                "  @Wait(\"soon\") void b() {}",
                "}");
        Compilation compilation = compile(f);
        assertThat(compilation).hadErrorCount(4);
        assertThat(compilation).hadErrorContaining("is final").inFile(f).onLine(4);
        assertThat(compilation).hadErrorContaining("has no @Handler").inFile(f).onLine(3);
        assertThat(compilation).hadErrorContaining("is private").inFile(f).onLine(5);
        assertThat(compilation)
                .hadErrorContaining("\"soon\" is not an ISO-8601 duration")
                .inFile(f)
                .onLine(6);
    }
}
