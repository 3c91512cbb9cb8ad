package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.core.JournalException;
import dev.durable.core.journal.JournalRecord;
import dev.durable.runtime.local.testing.ChildJvm;
import java.io.IOException;
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

    private static ChildJvm start(String... args) throws IOException {
        return ChildJvm.builder(JournalChild.class).jvmOptions("-Xmx256m").args(args).start();
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPid() throws Exception {
        try (ChildJvm holder = start("hold", dir.toString())) {
            assertThat(holder.await(line -> true)).as("the child's first line").isEqualTo("ready");

            assertThatThrownBy(() -> FileJournal.open(dir))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("in use by process " + holder.pid());

            holder.closeInput();
            assertThat(holder.awaitExit()).as("the holder's exit status").isZero();
        }
        FileJournal.open(dir).close(); // free once the holder has gone
    }

    @Test
    void killingTheProcessDuringConcurrentAppendsLosesNoAcknowledgedRecord() throws Exception {
        List<String> lines;
        try (ChildJvm child = start("append", dir.toString(), "8")) {
            child.await("acknowledged 5000"::equals); // let it get well into its stride
            child.kill();
            lines = child.stdout().stream().filter(line -> line.startsWith("exec-")).toList();
        }

        // Everything the child printed before it died had been acknowledged.
        Map<String, Integer> acknowledged = new HashMap<>();
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
