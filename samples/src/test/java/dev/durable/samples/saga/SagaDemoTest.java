package dev.durable.samples.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SagaDemoTest {
    @TempDir
    Path dir;

    @Test
    void aFailedFlightIsCompensatedOnceAfterAKillWithTheAgentAlone() throws Exception {
        SagaDemo.main(new String[] {dir.resolve("journal").toString()});
        assertThat(Files.readAllLines(dir.resolve("journal-services.log")))
                .containsOnlyOnce(
                        "wallet: debit 52000 cents from bob", "hotel: cancel H-Porto Inn", "wallet: refund TX-bob")
                .filteredOn(l -> l.equals("airline: book FULL-LH1170"))
                .hasSize(3);
    }
}
