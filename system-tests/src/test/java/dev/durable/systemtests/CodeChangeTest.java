package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.HistoryEvent;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.testing.ChildJvm;
import dev.durable.systemtests.codechange.CodeChangeChild;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code that changes under executions in flight, across processes: executions start on release 1 and wait, the JVM is
 * killed, and another release is deployed in a new JVM on the same journal. A patched change and a pinned version
 * keep old executions on their old path; a breaking change holds them BLOCKED without losing their history, and the
 * next release that matches it resumes them.
 */
class CodeChangeTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @TempDir
    Path dir;

    /** What a deploy printed: each execution's version, status and result (or why it is blocked), by name. */
    private record Deploy(Map<String, String> executions) {
        String get(String name) {
            return executions.get(name);
        }
    }

    /** Runs {@code release} in a child JVM, {@code hours} after T0, starting {@code names}; kills it once idle. */
    private Deploy deploy(String release, int hours, String... names) throws IOException, InterruptedException {
        try (ChildJvm child = ChildJvm.builder(CodeChangeChild.class)
                .jvmOptions("-XX:TieredStopAtLevel=1")
                .args(
                        dir.resolve("journal").toString(),
                        T0.plus(Duration.ofHours(hours)).toString(),
                        release,
                        names.length == 0 ? "-" : String.join(",", names))
                .timeout(Duration.ofSeconds(90))
                .start()) {
            child.await("IDLE"::equals);
            child.kill(); // SIGKILL: nothing is closed cleanly
            Map<String, String> seen = new LinkedHashMap<>();
            for (String line : child.stdout()) {
                if (line.startsWith("EXEC ")) {
                    String[] parts = line.split(" ", 3);
                    seen.put(parts[1], parts[2]);
                }
            }
            return new Deploy(seen);
        }
    }

    @Test
    void aPatchedChangeKeepsOldExecutionsOnTheOldPathAndNewOnesOnTheNew() throws Exception {
        Deploy v1 = deploy("v1", 0, "old-1", "old-2");
        assertThat(v1.get("old-1")).isEqualTo("1 WAITING -");

        Deploy v2 = deploy("patched", 2, "new-1");
        assertThat(v2.get("old-1")).isEqualTo("1 SUCCEEDED \"v2 shipped R-old-1\"");
        assertThat(v2.get("old-2")).isEqualTo("1 SUCCEEDED \"v2 shipped R-old-2\"");
        assertThat(v2.get("new-1")).isEqualTo("1 SUCCEEDED \"v2 shipped R-new-1 wrapped\"");
    }

    @Test
    void aPinnedVersionFinishesOldExecutionsOnVersion1AndStartsNewOnesOnVersion2() throws Exception {
        deploy("v1", 0, "old-1");

        Deploy v2 = deploy("pinned", 2, "new-1");
        assertThat(v2.get("old-1")).isEqualTo("1 SUCCEEDED \"v1 shipped R-old-1\"");
        assertThat(v2.get("new-1")).isEqualTo("2 SUCCEEDED \"v2 shipped R-new-1 wrapped\"");
    }

    @Test
    void aBreakingChangeBlocksOldExecutionsWithTheirHistoryIntactAndTheFixResumesThem() throws Exception {
        deploy("v1", 0, "old-1");
        List<HistoryEvent> before = history("old-1");

        Deploy broken = deploy("broken", 2, "new-1");
        assertThat(broken.get("old-1"))
                .startsWith("1 BLOCKED Non-deterministic replay of execution 'old-1' at operation 2: the journal"
                        + " holds WAIT 'coolOff'")
                .contains("but the code now performs STEP 'wrap'")
                .contains("OrdersBroken.handle");
        assertThat(broken.get("new-1")).isEqualTo("1 SUCCEEDED \"v2 shipped R-new-1 wrapped\"");
        assertThat(history("old-1")).as("nothing journaled, no end").isEqualTo(before);

        Deploy again = deploy("broken", 3);
        assertThat(again.get("old-1"))
                .as("replayed again at open, blocked again")
                .startsWith("1 BLOCKED ");

        Deploy fixed = deploy("fixed", 4);
        assertThat(fixed.get("old-1")).isEqualTo("1 SUCCEEDED \"v3 shipped R-old-1\"");
        assertThat(fixed.get("new-1")).isEqualTo("1 SUCCEEDED \"v2 shipped R-new-1 wrapped\"");
    }

    /** The execution's history as the journal holds it, read in this JVM with no function registered. */
    private List<HistoryEvent> history(String name) {
        try (LocalRuntime runtime = LocalRuntime.builder()
                .directory(dir.resolve("journal"))
                .clock(new ManualClock(T0)) // the children's time: no execution is past its retention
                .open()) {
            return runtime.history(name);
        }
    }
}
