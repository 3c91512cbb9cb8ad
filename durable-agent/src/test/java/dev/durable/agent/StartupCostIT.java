package dev.durable.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prints the start-up time the agent adds (no bound is asserted: build machines vary too much). */
class StartupCostIT {
    private static final int RUNS = 5;

    @Test
    void measuresTheStartUpTimeTheAgentAdds() throws Exception {
        List<StartupCost.Row> rows = StartupCost.measure(RUNS);
        String table = StartupCost.table(rows, RUNS);
        System.out.print(table);
        Files.writeString(Path.of(System.getProperty("durable.agent.jar")).resolveSibling("startup-cost.txt"), table);
        assertThat(rows).allSatisfy(r -> assertThat(r.without()).isPositive());
    }
}
