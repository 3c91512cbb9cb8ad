package dev.durable.samples.saga;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Fake wallet, hotel and airline services; each call is logged to a file outside the journal. */
public final class TravelServices {
    private final Path log;

    public TravelServices(Path log) {
        this.log = log;
    }

    public String debit(String traveller, long cents) {
        return record("wallet: debit " + cents + " cents from " + traveller, "TX-" + traveller);
    }

    public void credit(String transaction) {
        record("wallet: refund " + transaction, null);
    }

    public String reserveHotel(String hotel) {
        return record("hotel: reserve " + hotel, "H-" + hotel);
    }

    public void cancelHotel(String reservation) {
        record("hotel: cancel " + reservation, null);
    }

    public String bookFlight(String flight) {
        record("airline: book " + flight, null);
        if (flight.startsWith("FULL")) {
            throw new IllegalStateException("no seats left on " + flight);
        }
        return "F-" + flight;
    }

    private String record(String line, String result) {
        System.out.println("  -> " + line);
        try {
            Files.writeString(
                    log,
                    line + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
