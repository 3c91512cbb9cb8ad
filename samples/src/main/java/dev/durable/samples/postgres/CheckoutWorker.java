package dev.durable.samples.postgres;

import dev.durable.runtime.postgres.PostgresRuntime;
import java.nio.file.Path;
import java.time.Duration;

/** One worker process: runs checkouts from the shared database until it is stopped (or killed). */
public final class CheckoutWorker {
    private CheckoutWorker() {}

    /** Arguments: the JDBC URL, this worker's id, the ledger file. */
    public static void main(String[] args) throws InterruptedException {
        String id = args[1];
        PostgresRuntime runtime = PostgresRuntime.builder()
                .url(args[0])
                .workerId(id)
                .lease(Duration.ofSeconds(2)) // short, so the demo's killed worker's orders move on quickly
                .pollInterval(Duration.ofMillis(200))
                .threads(4) // few orders at once per worker, so the orders spread over the three
                .claimBatch(2)
                .open();
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close));
        runtime.register(new Checkout_Durable(new Ledger(Path.of(args[2]), id)));
        System.out.println("READY " + id);
        Thread.currentThread().join();
    }
}
