package dev.durable.samples.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracedOrderDemoTest {
    @Test
    void anOrderThatSurvivedARestartIsOneTraceWithBothRunsUnderItsWorkflow(@TempDir Path dir) throws Exception {
        String out = TracedOrderDemo.run(dir.resolve("demo"));
        List<String> lines = out.lines().toList();

        assertThat(lines.get(0)).startsWith("receipt: Receipt[").contains("SHIPPED");
        assertThat(lines).filteredOn(l -> l.startsWith("trace ")).hasSize(1);
        assertThat(lines.get(2)).startsWith("Workflow").endsWith("OK  SUCCEEDED");
        // runs before the restart suspended (reserve's retry delay, the cooling-off, the manager's callback); the run
        // after it finished the order
        List<String> invocations =
                lines.stream().filter(l -> l.contains("Invocation")).toList();
        assertThat(invocations).hasSize(4);
        assertThat(invocations.subList(0, 3)).allMatch(l -> l.endsWith("PENDING"));
        assertThat(invocations.get(3)).endsWith("SUCCEEDED");
        for (String operation : List.of("reserve", "charge", "coolingOff", "askManager", "ship")) {
            assertThat(lines).as(operation).anyMatch(l -> l.matches("[├└]─ " + operation + " .*SUCCEEDED"));
        }
        // reserve failed once and was retried: two attempts under the one operation, the first an error
        assertThat(lines).anyMatch(l -> l.contains("reserve attempt 1") && l.contains("ERROR"));
        assertThat(lines).anyMatch(l -> l.contains("reserve attempt 2") && l.endsWith("SUCCEEDED"));
    }
}
