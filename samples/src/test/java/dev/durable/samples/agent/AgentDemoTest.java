package dev.durable.samples.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentDemoTest {
    @TempDir
    Path dir;

    @Test
    void aKilledAgentResumesWithoutPayingTwiceForAModelCall() throws Exception {
        AgentDemo.main(new String[] {dir.resolve("journal").toString()});
        List<String> ledger = Files.readAllLines(dir.resolve("journal-ledger.log"));
        // the two look-ups run in parallel, so either may be billed first
        assertThat(ledger.subList(1, 3))
                .containsExactlyInAnyOrder("tool weather(Lisbon)", "tool find_flights(BER-LIS)");
        assertThat(ledger)
                .hasSize(6)
                .startsWith("model call 1 (3 cents)")
                .endsWith("model call 2 (4 cents)", "tool book_flight(LH1170)", "model call 3 (2 cents)");
    }
}
