package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code durable check-compat}: the executions in flight of a journal replayed against a new build of the code. */
class CheckCompatTest {
    private static final String V1 = """
            package compat;

            import dev.durable.Durable;
            import dev.durable.annotations.Callback;
            import dev.durable.annotations.DurableFunction;
            import dev.durable.annotations.Handler;
            import dev.durable.annotations.Step;

            @DurableFunction("greet")
            public class Greeter {
                private final StringBuilder audit;

                public Greeter(StringBuilder audit) {
                    this.audit = audit;
                }

                @Handler
                public String handle(String name) {
                    String greeting = compose(name);
                    String answer = approve(name);
                    return greeting + " " + answer;
                }

                @Step
                public String compose(String name) {
                    return "hello " + name;
                }

                @Callback(timeout = "P1D")
                public String approve(String name) {
                    Durable.callbackId();
                    return null;
                }
            }
            """;

    /** A step inserted before the first one: every execution in flight now meets it where the journal has compose. */
    private static final String V2_INSERTED = V1.replace(
                    "String greeting = compose(name);",
                    "String checked = check(name);\n        String greeting = compose(name);")
            .replace(
                    "    @Step\n    public String compose",
                    "    @Step\n    public String check(String name) {\n"
                            + "        return name.trim();\n    }\n\n    @Step\n    public String compose");

    /** A step added after the last one an execution in flight has reached: safe. */
    private static final String V2_APPENDED = V1.replace(
                    "return greeting + \" \" + answer;", "return shout(greeting + \" \" + answer);")
            .replace(
                    "    @Callback(timeout",
                    "    @Step\n    public String shout(String s) {\n"
                            + "        return s.toUpperCase();\n    }\n\n    @Callback(timeout");

    private static final String FUNCTIONS = """
            package compat;

            public class Functions implements java.util.function.Supplier<java.util.Collection<?>> {
                @Override
                public java.util.Collection<?> get() {
                    return java.util.List.of(new Greeter_Durable(new StringBuilder()));
                }
            }
            """;

    @TempDir
    Path dir;

    Path journal;

    @BeforeEach
    void anExecutionWaitsForItsCallback() throws Exception {
        journal = dir.resolve("journal");
        Path v1 = compile("v1", Map.of("compat/Greeter.java", V1));
        try (URLClassLoader loader = new URLClassLoader(
                        new URL[] {v1.toUri().toURL()}, getClass().getClassLoader());
                LocalRuntime runtime = LocalRuntime.open(journal)) {
            Object proxy = loader.loadClass("compat.Greeter_Durable")
                    .getConstructor(StringBuilder.class)
                    .newInstance(new StringBuilder());
            runtime.register(proxy);
            runtime.start("greet", "greet-ada", "Ada");
            assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(runtime.execution("greet-ada").status()).isEqualTo(ExecutionStatus.WAITING);
            runtime.start("greet", "greet-bob", "Bob");
            assertThat(runtime.awaitIdle(Duration.ofSeconds(10))).isTrue();
            String callbackId = runtime.describe("greet-bob").operations().stream()
                    .filter(op -> op.callbackId() != null)
                    .findFirst()
                    .orElseThrow()
                    .callbackId();
            runtime.completeCallback(callbackId, "yes");
            assertThat(runtime.execution("greet-bob").<String>result(Duration.ofSeconds(10)))
                    .isEqualTo("hello Bob yes");
        }
    }

    @Test
    void anOperationInsertedBeforeWhereAnExecutionWaitsIsReportedWithBothSidesAndExits5() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V2_INSERTED));

        Cli r = Cli.on(journal, "check-compat", "--classpath", v2.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.out())
                .containsPattern("greet-ada\\s+greet\\s+DIVERGED")
                .contains("at operation 1: the journal holds STEP 'compose' SUCCEEDED, the code performs STEP 'check'"
                        + " (at compat.Greeter.handle(Greeter.java:19))")
                .contains("1 execution in flight replayed: 1 did not");
        assertThat(r.err())
                .startsWith("error: the new code does not replay 1 of 1 execution in flight, first greet-ada")
                .contains("Durable.patched(");
    }

    @Test
    void aStepAddedAfterTheLastOneReachedReplaysAndExits0() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V2_APPENDED));

        Cli r = Cli.on(journal, "check-compat", "--classpath", v2.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("greet-ada\\s+greet\\s+OK")
                .contains("1 execution in flight replayed: all replay with the new code");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void endedExecutionsAreLeftOutUnlessAllIsAsked() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V2_INSERTED));

        Cli inFlight = Cli.on(journal, "check-compat", "--classpath", v2.toString());
        Cli all = Cli.on(journal, "check-compat", "--classpath", v2.toString(), "--all");

        assertThat(inFlight.out()).doesNotContain("greet-bob");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(5);
        assertThat(all.out())
                .containsPattern("greet-bob\\s+greet\\s+DIVERGED")
                .contains("2 executions replayed: 2 did not");
    }

    @Test
    void aFunctionsClassBuildsTheInstancesToReplayWith() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V2_INSERTED, "compat/Functions.java", FUNCTIONS));

        Cli r = Cli.on(journal, "check-compat", "--classpath", v2.toString(), "--functions", "compat.Functions");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.out()).containsPattern("greet-ada\\s+greet\\s+DIVERGED");
    }

    @Test
    void aClasspathWithoutDurableFunctionsIsAUsageError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Cli r = Cli.on(journal, "check-compat", "--classpath", empty.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("no durable functions on --classpath").contains("durable-processor");
    }

    @Test
    void aFunctionsClassOfTheWrongShapeIsAUsageErrorNamingWhatItMustBe() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V1));

        Cli r = Cli.on(journal, "check-compat", "--classpath", v2.toString(), "--functions", "compat.Greeter");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("cannot create --functions compat.Greeter");
    }

    @Test
    void theJournalIsNotChanged() throws IOException {
        Path v2 = compile("v2", Map.of("compat/Greeter.java", V2_INSERTED));
        List<String> before = listing(journal);

        Cli.on(journal, "check-compat", "--classpath", v2.toString());

        assertThat(listing(journal)).isEqualTo(before);
    }

    private static List<String> listing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                out.add(p.getFileName() + " " + Files.size(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    /** Compiles {@code sources} with the durable processor, as the application's build would. */
    private Path compile(String name, Map<String, String> sources) throws IOException {
        Path src = dir.resolve(name + "-src");
        Path out = Files.createDirectories(dir.resolve(name));
        List<String> args = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-processor",
                "dev.durable.processor.DurableProcessor",
                "-Adurable.lint=off"));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
                .as("javac " + args)
                .isZero();
        return out;
    }
}
