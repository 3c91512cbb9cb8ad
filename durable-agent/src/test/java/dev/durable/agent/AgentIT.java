package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.durable.it.agent.Counters;
import dev.durable.it.agent.Shipment;
import dev.durable.runtime.local.testing.ChildJvm;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built agent jar in child JVMs running {@code dev.durable.it.agent.AgentApp}. */
class AgentIT {
    @TempDir
    Path dir;

    private Path journal() {
        return dir.resolve("journal");
    }

    private Path counters() {
        return dir.resolve("counters.txt");
    }

    private String countersOption() {
        return "-D" + Counters.PROPERTY + "=" + counters();
    }

    @Test
    void privateFinalStaticAndSelfInvokedStepsSurviveACrashAndAreNotRerun() throws Exception {
        try (ChildJvm crashing = AgentJvm.withAgent(
                List.of(countersOption(), "-D" + Shipment.HOLD_PROPERTY + "=true"),
                "shipment",
                journal().toString())) {
            crashing.await("ACKNOWLEDGED");
            crashing.kill();
        }

        ChildJvm.Output resumed = AgentJvm.withAgent(
                        List.of(countersOption()), "shipment", journal().toString())
                .finish();

        // the quote, journaled through javac's bridge method, replays as a Quote
        assertThat(resumed.line("RESULT")).isEqualTo("reserved-A-1 21 label-A-1 33 shipped-reserved-A-1");
        // the step in flight at the crash runs again (at least once); the acknowledged ones are replayed
        assertThat(Counters.read(counters()))
                .containsExactly(
                        entry("label", 1), entry("price", 1), entry("quote", 1), entry("reserve", 1), entry("ship", 2));
    }

    @Test
    void aStepMigrationConvertsWhatTheOldReleaseJournaled() throws Exception {
        ChildJvm.Output release1 = AgentJvm.withAgent(
                        List.of(countersOption()), "tariffs", journal().toString(), "v1")
                .finish();
        assertThat(release1.line("STATUS")).isEqualTo("WAITING");

        ChildJvm.Output release2 = AgentJvm.withAgent(
                        List.of(countersOption()), "tariffs", journal().toString(), "v2")
                .finish();

        assertThat(release2.line("RESULT")).isEqualTo("Fare[amount=7, currency=EUR]");
        assertThat(Counters.read(counters())).containsExactly(entry("fare-v1", 1));
    }

    @Test
    void aCompletedCallbackReplaysTheHandlerWithoutRerunningItsSteps() throws Exception {
        ChildJvm.Output output = AgentJvm.withAgent(
                        List.of(countersOption()), "approval", journal().toString())
                .finish();

        assertThat(output.line("RESULT")).isEqualTo("checked-B-2 approved=true");
        assertThat(Counters.read(counters())).containsExactly(entry("ask", 1), entry("check", 1), entry("record", 1));
    }

    @Test
    void aClassLoadedBeforeTheAgentIsInstalledIsRetransformed() throws Exception {
        List<String> classPath = new ArrayList<>(AgentJvm.applicationClassPath());
        classPath.add(AgentJvm.agentJar().toString());

        ChildJvm.Output output = AgentJvm.start(
                        List.of(countersOption()),
                        classPath,
                        "loaded-before-install",
                        journal().toString())
                .finish();

        assertThat(output.line("PLAIN")).isEqualTo("before-install approved=true");
        assertThat(output.line("ACTIVE")).isEqualTo("true");
        assertThat(output.line("RESULT")).isEqualTo("checked-B-2 approved=true");
        // record ran once plainly before the agent, once in the execution
        assertThat(Counters.read(counters())).containsExactly(entry("ask", 1), entry("check", 1), entry("record", 2));
    }

    @Test
    void aGeneratedProxyOnAWovenClassJournalsEachCallOnce() throws Exception {
        ChildJvm.Output output = AgentJvm.withAgent(
                        List.of(countersOption()), "proxy", journal().toString())
                .finish();

        assertThat(output.line("RESULT")).isEqualTo("sent C-3 15");
        assertThat(output.line("OPERATIONS")).isEqualTo("amount,send");
        assertThat(Counters.read(counters())).containsExactly(entry("amount", 1), entry("send", 1));
    }

    @ParameterizedTest(name = "ByteBuddy {0}")
    @ValueSource(strings = {"older", "same"})
    void anApplicationWithItsOwnByteBuddyStillWorks(String version) throws Exception {
        Path byteBuddy = version.equals("older")
                ? Path.of(System.getProperty("durable.agent.application-bytebuddy"))
                : AgentJvm.testByteBuddy();
        List<String> classPath = new ArrayList<>(AgentJvm.applicationClassPath());
        classPath.add(byteBuddy.toString());

        ChildJvm.Output output = AgentJvm.start(
                        List.of("-javaagent:" + AgentJvm.agentJar(), countersOption()),
                        classPath,
                        "application-bytebuddy",
                        journal().toString())
                .finish();

        assertThat(output.line("GENERATED")).isEqualTo("made by the application's ByteBuddy");
        assertThat(output.line("BYTEBUDDY")).endsWith(byteBuddy.getFileName().toString());
        assertThat(output.line("RESULT")).isEqualTo("reserved-A-1 21 label-A-1 33 shipped-reserved-A-1");
        assertThat(Counters.read(counters()))
                .containsExactly(
                        entry("label", 1), entry("price", 1), entry("quote", 1), entry("reserve", 1), entry("ship", 1));
    }

    @Test
    void outsideAnExecutionAnnotatedMethodsArePlainCalls() throws Exception {
        ChildJvm.Output output =
                AgentJvm.withAgent(List.of(countersOption()), "plain").finish();

        assertThat(output.line("PLAIN")).isEqualTo("label-D-4 14 reserved-D-4 14 label-D-4 22 shipped-reserved-D-4");
        assertThat(Counters.read(counters()))
                .containsExactly(
                        entry("label", 2), entry("price", 2), entry("quote", 1), entry("reserve", 1), entry("ship", 1));
    }

    @Test
    void annotatedMethodsWithoutABodyAreReportedOnceWithTheReason() throws Exception {
        ChildJvm.Output output = AgentJvm.withAgent(List.of(), "unweavable").finish();

        assertThat(output.line("LOADED")).isEqualTo("implemented");
        String nativeStep = "dev.durable.it.agent.Unweavable.nativeStep() is not durable: it is native";
        String abstractStep = "dev.durable.it.agent.Unweavable.abstractStep() is not durable: it is abstract";
        assertThat(output.stderr()).containsOnlyOnce(nativeStep).containsOnlyOnce(abstractStep);
    }

    @Test
    void aClassThatCannotBeWovenIsReportedWithTheReason() throws Exception {
        Path classes = dir.resolve("orphan");
        Path orphan = classes.resolve("dev/durable/it/agent/Orphan.class");
        Files.createDirectories(orphan.getParent());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("dev/durable/it/agent/Orphan.class")) {
            Files.copy(in, orphan);
        }
        String annotations = AgentJvm.applicationClassPath().stream()
                .filter(entry -> entry.contains("durable-annotations"))
                .findFirst()
                .orElseThrow();

        ChildJvm.Output output = AgentJvm.withAgent(List.of(), "orphan", classes.toString(), annotations)
                .finish();

        assertThat(output.line("MISSING")).contains("OrphanParent");
        assertThat(output.stderr())
                .containsOnlyOnce("could not weave dev.durable.it.agent.Orphan")
                .contains("OrphanParent");
    }

    @Test
    void installingWhereAttachIsDisabledSaysToUseJavaagent() throws Exception {
        List<String> classPath = new ArrayList<>(AgentJvm.applicationClassPath());
        classPath.add(AgentJvm.agentJar().toString());

        ChildJvm.Output output = AgentJvm.start(List.of("-XX:+DisableAttachMechanism"), classPath, "install")
                .finish();

        assertThat(output.line("REFUSED"))
                .contains("-javaagent:" + AgentJvm.agentJar().toAbsolutePath())
                .contains("-Djdk.attach.allowAttachSelf=true");
    }

    @Test
    void theChildClassPathHoldsNoAgentClassesOrByteBuddy() {
        assertThat(AgentJvm.applicationClassPath())
                .noneMatch(entry -> entry.contains("byte-buddy"))
                .noneMatch(entry -> Path.of(entry)
                        .toAbsolutePath()
                        .equals(AgentJvm.agentJar().toAbsolutePath()))
                .anyMatch(entry -> entry.endsWith("test-classes") || entry.endsWith("test-classes" + File.separator));
    }
}
