package dev.durable.samples.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fake inventory, payment and mail services. Every real call is appended to a side-effect log next to the journal,
 * so the demo can show that each ran exactly once however often the process was killed.
 */
public final class Services {
    private final Path effects;
    private final AtomicInteger reserveCalls = new AtomicInteger();
    private volatile Consumer<String> listener = call -> {};

    public Services(Path effects) {
        this.effects = effects;
    }

    /** Also tells {@code listener} about every call once it is logged, so a process can watch its progress. */
    public void onCall(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Fails on its first call in a process, to show a retry with backoff. */
    public String reserve(Order order) {
        int call = reserveCalls.incrementAndGet();
        record("reserve (call " + call + " in this process)");
        if (call == 1) {
            throw new IllegalStateException("inventory service busy");
        }
        return "RES-" + order.id();
    }

    public String charge(Order order) {
        record("charge " + order.totalCents() + " cents");
        return "PAY-" + order.id();
    }

    public String refund(String payment) {
        record("refund " + payment);
        return "REFUND-" + payment;
    }

    public String ship(String reservation) {
        record("ship " + reservation);
        return "SHIP-" + reservation;
    }

    public void mail(String to, String text) {
        record("mail " + to + ": " + text);
    }

    private void record(String line) {
        System.out.println("  -> service call: " + line);
        try {
            Files.writeString(
                    effects,
                    line + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listener.accept(line);
    }
}
