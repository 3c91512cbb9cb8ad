package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash harness through generated proxies: {@code durable.crash.kills} SIGKILLs (25 by default, 200 with
 * {@code -Pnightly}) at seeded random points of a mixed workflow. See {@link CrashHarness} for what is checked.
 */
class ProxyCrashTest {
    @Test
    void guaranteesHoldAcrossRandomKillsThroughTheGeneratedProxy(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("durable.crash.kills", 25);
        long seed = Long.getLong("durable.crash.seed", 1L);

        CrashHarness.Summary summary = CrashHarness.proxy(dir, seed).run(kills);

        System.out.println("proxy crash harness, seed " + seed + ": " + summary);
        assertThat(summary.kills()).isEqualTo(kills);
        assertThat(summary.restartsWithPendingWork())
                .as("kills that left work in flight")
                .isGreaterThan(kills / 2);
        assertThat(summary.completedBySecondTool())
                .as("callbacks completed while the process was down")
                .isPositive();
    }
}
