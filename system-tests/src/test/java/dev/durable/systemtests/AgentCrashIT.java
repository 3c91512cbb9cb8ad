package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness through the built agent jar: plain {@code new MixedWorkflow(...)} in child JVMs started with
 * {@code -javaagent}. A quarter of the proxy run's kills (at least 10), as each child start pays for the agent.
 */
class AgentCrashIT {
    @Test
    void guaranteesHoldAcrossRandomKillsThroughTheAgent(@TempDir Path dir) throws Exception {
        int kills = Math.max(10, Integer.getInteger("durable.crash.kills", 25) / 4);
        long seed = Long.getLong("durable.crash.seed", 1L) + 1;

        CrashHarness.Summary summary = CrashHarness.agent(dir, seed).run(kills);

        System.out.println("agent crash harness, seed " + seed + ": " + summary);
        assertThat(summary.kills()).isEqualTo(kills);
        assertThat(summary.restartsWithPendingWork())
                .as("kills that left work in flight")
                .isGreaterThan(kills / 2);
    }
}
