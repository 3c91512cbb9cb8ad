package dev.durable.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderDemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoSurvivesAKillAndARestartAndChargesOnce() throws Exception {
        Path journal = dir.resolve("journal");
        OrderDemo.main(new String[] {journal.toString()});
        assertThat(Files.readAllLines(dir.resolve("journal-effects.log")))
                .containsExactly(
                        "reserve (call 1 in this process)",
                        "reserve (call 2 in this process)",
                        "charge 12900 cents",
                        Files.readAllLines(dir.resolve("journal-effects.log")).get(3),
                        "ship RES-42")
                .filteredOn(l -> l.startsWith("mail"))
                .singleElement()
                .asString()
                .startsWith("mail grace@example.com: approve order 42? complete callback ");
    }
}
