package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.runtime.local.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code durable check-compat} on a journal the crash harness leaves behind: {@link MixedWorkflow} killed with SIGKILL
 * at random points and stopped after the last kill, its executions in flight wherever the kills left them (one at
 * least waiting for its callback), and the next write torn as a power cut would leave it. The command runs as an
 * operator runs it: the CLI's jar in a JVM of its own, the application only on {@code --classpath} (copies of the
 * workflow that this test compiles with the processor, changed or not; on the CLI's class path, as on this JVM's, the
 * workflow as it is would be loaded in their place), and what it prints and its exit code are what is checked, against
 * what {@code durable list} and {@code durable show} say each execution has journaled.
 */
class CrashJournalCompatTest {
    /** A few kills: executions at various positions, resumed ones among them, in well under a minute. */
    private static final int KILLS = 4;

    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
    private static final Path SOURCES = Path.of(System.getProperty("durable.modules.dir", ".."))
            .resolve("system-tests/src/test/java/dev/durable/systemtests");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A row of check-compat's report: execution, function, verdict. */
    private static final Pattern ROW = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(OK|DIVERGED|RESULT_DIFFERS|SKIPPED)");

    private static final String FIRST_STEP =
            "        String reserved = effects.ack(me, \"reserve\", reserve(me, order));\n";
    private static final String INSERTED_STEP = "        ctx.step(\"screen\", String.class, s -> \"S-\" + order);\n";
    private static final String RESULT = "        return String.join(\n";
    private static final String APPENDED_STEP =
            "        ctx.step(\"receipt\", String.class, s -> \"receipt-\" + order);\n";

    /** The functions to replay with: the handlers log effects outside their steps too, so they need a log. */
    private static final String FUNCTIONS = """
            package dev.durable.systemtests;

            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Collection;
            import java.util.List;
            import java.util.function.Supplier;

            public class ReplayFunctions implements Supplier<Collection<?>> {
                @Override
                public Collection<?> get() {
                    try {
                        Path log = Files.createTempFile("replayed-effects", ".log");
                        log.toFile().deleteOnExit();
                        EffectLog effects = EffectLog.open(log, false);
                        return List.of(new MixedWorkflow_Durable(effects), new Labeler_Durable(effects));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    /** The applications built so far, by name. */
    private static final Map<String, Path> BUILDS = new HashMap<>();

    @TempDir
    static Path dir;

    static Path journal;
    /** Each file of the journal as the crash left it. */
    static Map<String, String> asTheCrashLeftIt;
    /** The executions in flight, by name. */
    static Map<String, InFlight> inFlight;

    /**
     * An execution in flight, as {@code durable list} and {@code durable show} show it.
     *
     * @param function its durable function
     * @param firstOperation its first operation, e.g. {@code 1 STEP 'reserve' SUCCEEDED}, or {@code null} before it has
     *     journaled one
     */
    record InFlight(String function, String firstOperation) {}

    @BeforeAll
    static void crashTheWorkflowAndStopWithExecutionsInFlight() throws Exception {
        long seed = Long.getLong("durable.crash.seed", 1L);
        journal = CrashHarness.proxy(Files.createDirectories(dir.resolve("crashes")), seed)
                .interrupt(KILLS);
        JournalFiles.tearTheNextWrite(journal);
        asTheCrashLeftIt = contents(journal);
        assertThat(durable("verify").output())
                .as("the journal ends in a torn write")
                .contains("TORN_TAIL");

        inFlight = new TreeMap<>();
        JsonNode listed = JSON.readTree(
                durable("list", "--status", "running,waiting", "--json").output());
        for (JsonNode e : listed) {
            String name = e.get("name").asText();
            inFlight.put(name, new InFlight(e.get("function").asText(), firstOperation(name)));
        }
        System.out.println("crash harness, seed " + seed + ", " + KILLS + " kills, " + inFlight.size()
                + " executions in flight:\n" + durable("list").output());
        assertThat(inFlight.values())
                .as("executions of the workflow in flight past its first operation")
                .anyMatch(e -> e.function().equals("mixed") && e.firstOperation() != null);
    }

    /** The first operation of {@code execution} as {@code durable show} shows it, or {@code null} if it has none. */
    private static String firstOperation(String execution) throws IOException {
        JsonNode ops =
                JSON.readTree(durable("show", execution, "--json").output()).get("operations");
        if (ops.isEmpty()) {
            return null;
        }
        JsonNode op = ops.get(0);
        return op.get("id").asText() + " " + op.get("type").asText() + " '"
                + op.get("name").asText() + "' " + op.get("status").asText();
    }

    @Test
    void theSameCodeReplaysEveryExecutionInFlight() throws IOException {
        CliRun r = checkCompat(build("same", source -> source));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.verdicts()).as(r.toString()).isEqualTo(allOk());
        assertThat(r.out()).as(r.toString()).endsWith(inFlightReplayed() + "all replay with the new code\n");
    }

    @Test
    void aStepInsertedBeforeTheFirstIsReportedWithBothSidesForEveryExecutionPastItAndExits5() throws IOException {
        String at = "dev.durable.systemtests.MixedWorkflow.run(MixedWorkflow.java:"
                + lineOf(withAStepInserted(read("MixedWorkflow.java")), INSERTED_STEP) + ")";

        CliRun r = checkCompat(build("inserted", CrashJournalCompatTest::withAStepInserted));

        Map<String, String> verdicts = new TreeMap<>();
        List<String> divergences = new ArrayList<>();
        inFlight.forEach((name, e) -> {
            boolean pastIt = e.function().equals("mixed") && e.firstOperation() != null;
            verdicts.put(name, pastIt ? "DIVERGED" : "OK");
            if (pastIt) {
                String[] first = e.firstOperation().split(" ", 2);
                divergences.add("  " + name + " (mixed): DIVERGED at operation " + first[0] + ": the journal holds "
                        + first[1] + ", the code performs STEP 'screen' (at " + at + ")");
            }
        });
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.verdicts()).as(r.toString()).isEqualTo(verdicts);
        assertThat(r.out().lines()).as(r.toString()).containsAll(divergences);
        assertThat(r.out()).as(r.toString()).endsWith(inFlightReplayed() + divergences.size() + " did not\n");
        assertThat(r.err())
                .as(r.toString())
                .contains("error: the new code does not replay " + divergences.size() + " of " + executionsInFlight());
        System.out.println(divergences.size() + " of " + inFlight.size() + " executions in flight diverge");
    }

    @Test
    void aStepAppendedAfterTheLastReplaysEveryExecutionInFlight() throws IOException {
        CliRun r = checkCompat(build("appended", CrashJournalCompatTest::withAStepAppended));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.verdicts()).as(r.toString()).isEqualTo(allOk());
        assertThat(r.out()).as(r.toString()).endsWith(inFlightReplayed() + "all replay with the new code\n");
    }

    @Test
    void theChecksLeaveTheJournalAsTheCrashLeftItTornTailIncluded() throws IOException {
        checkCompat(build("inserted", CrashJournalCompatTest::withAStepInserted));

        assertThat(contents(journal)).isEqualTo(asTheCrashLeftIt);
    }

    private static CliRun checkCompat(Path app) throws IOException {
        return durable(
                "check-compat",
                "--classpath",
                app.toString(),
                "--functions",
                "dev.durable.systemtests.ReplayFunctions");
    }

    private static String executionsInFlight() {
        return inFlight.size() + (inFlight.size() == 1 ? " execution" : " executions") + " in flight";
    }

    /** How the last line of check-compat's report begins. */
    private static String inFlightReplayed() {
        return executionsInFlight() + " replayed: ";
    }

    private static Map<String, String> allOk() {
        Map<String, String> ok = new TreeMap<>();
        inFlight.keySet().forEach(name -> ok.put(name, "OK"));
        return ok;
    }

    /**
     * What one run of the {@code durable} command printed, and its exit status.
     *
     * @param exitCode the process's exit status
     * @param out standard output
     * @param err standard error
     */
    record CliRun(int exitCode, String out, String err) {
        /** Standard output of a command that must succeed. */
        String output() {
            assertThat(exitCode).as(toString()).isZero();
            return out;
        }

        /** The verdict of each execution in check-compat's report, by name. */
        Map<String, String> verdicts() {
            Map<String, String> verdicts = new TreeMap<>();
            out.lines().map(ROW::matcher).filter(Matcher::matches).forEach(m -> verdicts.put(m.group(1), m.group(3)));
            return verdicts;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code durable args --journal <the journal>} in a JVM of its own, as an operator would. */
    private static CliRun durable(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--journal");
        all.add(journal.toString());
        try (ChildJvm cli = ChildJvm.builder("dev.durable.cli.DurableCli")
                .jvmOptions("-XX:TieredStopAtLevel=1")
                .classPath(cliClassPath())
                .args(all)
                .timeout(CLI_TIMEOUT)
                .start()) {
            int exitCode = cli.awaitExit();
            StringBuilder out = new StringBuilder();
            cli.stdout().forEach(line -> out.append(line).append('\n'));
            return new CliRun(exitCode, out.toString(), String.join("\n", cli.stderr()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The CLI's jar alone, which carries its dependencies, as the build passes it in {@code durable.cli}; when the build
     * stopped before packaging it, its classes with this module's test class path less the workflow as it is.
     */
    private static List<String> cliClassPath() {
        String cli = System.getProperty("durable.cli");
        if (cli == null || cli.isEmpty()) {
            throw new IllegalStateException("the system property durable.cli is not set: run this test through Maven"
                    + " (mvn verify), which builds the CLI first and passes its jar's path");
        }
        if (Files.isRegularFile(Path.of(cli))) {
            return List.of(cli);
        }
        List<String> classPath = new ArrayList<>(List.of(cli));
        classPath.addAll(applicationClassPath());
        return classPath;
    }

    /** What the application is compiled against: this module's test class path less its own test classes. */
    private static List<String> applicationClassPath() {
        Path testClasses = codeSource(MixedWorkflow.class);
        return ChildJvm.testClassPath(entry -> !Path.of(entry).equals(testClasses));
    }

    /**
     * The application: MixedWorkflow as this module holds it, changed by {@code change}, with Labeler, EffectLog and
     * {@link #FUNCTIONS}, compiled with the processor into a directory of its own, as the application's build would.
     */
    private static Path build(String name, UnaryOperator<String> change) throws IOException {
        if (BUILDS.containsKey(name)) {
            return BUILDS.get(name);
        }
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        Path out = Files.createDirectories(dir.resolve(name));
        Map<String, String> sources = Map.of(
                "MixedWorkflow.java", change.apply(read("MixedWorkflow.java")),
                "Labeler.java", read("Labeler.java"),
                "EffectLog.java", read("EffectLog.java"),
                "ReplayFunctions.java", FUNCTIONS);
        List<String> args = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "-classpath",
                String.join(File.pathSeparator, applicationClassPath()),
                "-processor",
                "dev.durable.processor.DurableProcessor",
                "-Adurable.lint=off"));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            args.add(Files.writeString(src.resolve(s.getKey()), s.getValue()).toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
                .as("javac " + args)
                .isZero();
        BUILDS.put(name, out);
        return out;
    }

    private static String read(String file) throws IOException {
        return Files.readString(SOURCES.resolve(file));
    }

    /** The workflow with a step before its first operation. */
    private static String withAStepInserted(String source) {
        return insertBefore(source, FIRST_STEP, INSERTED_STEP);
    }

    /** The workflow with a step after its last operation. */
    private static String withAStepAppended(String source) {
        return insertBefore(source, RESULT, APPENDED_STEP);
    }

    /** {@code source} with {@code inserted} before {@code line}, which it must hold once. */
    private static String insertBefore(String source, String line, String inserted) {
        int at = source.indexOf(line);
        assertThat(at).as("MixedWorkflow.java holds %s", line).isNotNegative();
        assertThat(source.indexOf(line, at + 1)).as("once: %s", line).isNegative();
        return source.substring(0, at) + inserted + source.substring(at);
    }

    /** The number of the line of {@code source} that begins with {@code line}. */
    private static long lineOf(String source, String line) {
        return source.substring(0, source.indexOf(line)).lines().count() + 1;
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each file of {@code dir} by name: its size and the SHA-256 of its bytes. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                byte[] bytes = Files.readAllBytes(f);
                contents.put(f.getFileName().toString(), bytes.length + " bytes, SHA-256 " + sha256(bytes));
            }
        }
        return contents;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
