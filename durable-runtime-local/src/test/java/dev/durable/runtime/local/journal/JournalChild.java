package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second JVM for the tests. {@code hold <dir>}: opens the journal, prints {@code ready}, waits for stdin to close
 * (or prints {@code refused <message>} if the open is refused).
 * {@code append <dir> <threads>}: appends from many threads until killed, printing {@code execution op} for each
 * acknowledged record, and {@code acknowledged <n>} after every thousand. {@code probe <dir> <rounds>}: see
 * {@link #probe}. {@code prepare <dir> <records>}: appends {@code records} records of 254 bytes to 4 KiB segments,
 * waits until the next segment has been made ahead of time, prints {@code prepared}, and waits to be killed.
 */
public final class JournalChild {
    private JournalChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (args[0].equals("hold")) {
            FileJournal opened;
            try {
                opened = FileJournal.open(dir);
            } catch (JournalException e) {
                out.println("refused " + e.getMessage());
                out.flush();
                return;
            }
            try (FileJournal journal = opened) {
                out.println("ready");
                out.flush();
                while (System.in.read() >= 0) {
                    // hold the journal until the parent closes our stdin
                }
            }
            return;
        }
        if (args[0].equals("prepare")) {
            FileJournal journal =
                    FileJournal.open(dir, FileJournalOptions.defaults().segmentSize(4096));
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                journal.append(new JournalRecord(
                        RecordType.OPERATION,
                        "e",
                        String.format("%02d", i),
                        "p".repeat(254 - RecordCodec.MIN_FRAME - 1 - 2).getBytes(StandardCharsets.UTF_8)));
            }
            journal.awaitMaintenance();
            out.println("prepared");
            out.flush();
            while (System.in.read() >= 0) {
                // until killed
            }
            return;
        }
        if (args[0].equals("probe")) {
            probe(dir, Integer.parseInt(args[2]), out);
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

    /**
     * For each of {@code rounds} directories {@code <dir>/<i>}: waits until its lock file appears (the parent is
     * opening it), tries to open the journal at once, and prints {@code refused <i> <message>} or {@code opened <i>}
     * (closing it again).
     */
    private static void probe(Path dir, int rounds, PrintStream out) {
        for (int i = 0; i < rounds; i++) {
            Path journal = dir.resolve(Integer.toString(i));
            Path lock = journal.resolve(DirectoryLock.FILE_NAME);
            while (!Files.exists(lock)) {
                Thread.onSpinWait();
            }
            try {
                FileJournal.open(journal).close();
                out.println("opened " + i);
            } catch (JournalException e) {
                out.println("refused " + i + " " + e.getMessage());
            }
            out.flush();
        }
    }
}
