package dev.durable.runtime.local.journal;

import dev.durable.core.journal.JournalRecord;
import dev.durable.core.journal.RecordType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second JVM for the tests. {@code hold <dir>}: opens the journal, prints {@code ready}, waits for stdin to close.
 * {@code append <dir> <threads>}: appends from many threads until killed, printing {@code execution op} for each
 * acknowledged record, and {@code acknowledged <n>} after every thousand.
 */
public final class JournalChild {
    private JournalChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (args[0].equals("hold")) {
            try (FileJournal journal = FileJournal.open(dir)) {
                out.println("ready");
                out.flush();
                while (System.in.read() >= 0) {
                    // hold the journal until the parent closes our stdin
                }
            }
            return;
        }
        int threads = Integer.parseInt(args[2]);
        FileJournal journal = FileJournal.open(dir);
        byte[] payload = "{\"result\":\"a payload of moderate size, like a small JSON result\"}"
                .getBytes(StandardCharsets.UTF_8);
        List<Thread> writers = new ArrayList<>();
        int[] count = {0};
        for (int t = 0; t < threads; t++) {
            String execution = "exec-" + t;
            Thread writer = new Thread(() -> {
                for (int i = 0; ; i++) {
                    journal.append(new JournalRecord(RecordType.OPERATION, execution, Integer.toString(i), payload));
                    synchronized (out) {
                        out.println(execution + " " + i);
                        out.flush();
                        if (++count[0] % 1000 == 0) {
                            out.println("acknowledged " + count[0]);
                            out.flush();
                        }
                    }
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }
}
