package dev.durable.samples.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The outside world of the demo: every call of a service, as one line of a file that all workers append to. */
public final class Ledger {
    private final Path file;
    private final String worker;

    public Ledger(Path file, String worker) {
        this.file = file;
        this.worker = worker;
    }

    public String reserve(String order) {
        record("reserve " + order);
        return "RES-" + order;
    }

    public String charge(String order, long cents) {
        record("charge " + order + " " + cents);
        return "PAY-" + order;
    }

    public String ship(String reservation) {
        record("ship " + reservation);
        return "SHIP-" + reservation;
    }

    private void record(String call) {
        try {
            // one short append per line: lines of several processes never interleave
            Files.writeString(
                    file,
                    call + " on " + worker + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
