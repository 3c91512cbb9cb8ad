package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.core.JournalException;
import dev.durable.core.journal.JournalRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests across processes: the directory lock and a kill -9 during heavy appends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildProcessTest {
    @TempDir
    Path dir;

    private static Process start(String... args) throws IOException {
        return builder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static ProcessBuilder builder(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), JournalChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        Process holder = start("hold", dir.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");

            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("in use by process " + holder.pid());
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        FileJournal.open(dir).close(); // free once the holder has gone
    }

    @Test
    void killingTheProcessDuringConcurrentAppendsLosesNoAcknowledgedRecord() throws Exception {
        Path acks = Files.createTempFile("acknowledged", ".txt");
        Process child = builder("append", dir.toString(), "8").redirectOutput(acks.toFile()).start();
        try (BufferedReader progress = new BufferedReader(
                new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = progress.readLine()) != null && !line.equals("acknowledged 5000")) {
                // let it get well into its stride
            }
            assertThat(line).as("the child's progress").isEqualTo("acknowledged 5000");
            child.destroyForcibly();
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // Everything the child printed before it died had been acknowledged.
        Map<String, Integer> acknowledged = new HashMap<>();
        List<String> lines = Files.readAllLines(acks, StandardCharsets.UTF_8);
        Files.delete(acks);
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length == 2) { // a line cut by the kill can only understate
                acknowledged.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
            }
        }
        assertThat(lines.size()).isGreaterThanOrEqualTo(5000);

        try (FileJournal journal = FileJournal.open(dir)) {
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                List<JournalRecord> records = journal.read(e.getKey());
                assertThat(records.size()).as(e.getKey()).isGreaterThan(e.getValue());
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).operationId()).isEqualTo(Integer.toString(i));
                }
            }
        }
    }
}
