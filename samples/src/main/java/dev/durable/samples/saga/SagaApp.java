package dev.durable.samples.saga;

import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Books two trips with {@link TripBooking}, registered as a plain instance: run it with
 * {@code -javaagent:durable-agent.jar}.
 * <ul>
 *   <li>{@code start DIR}: starts both trips and stops once the second is waiting to retry its flight (the demo kills
 *   it there);</li>
 *   <li>{@code resume DIR}: reopens the journal; the second trip retries, fails for good and is compensated.</li>
 * </ul>
 */
public final class SagaApp {
    private SagaApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        TravelServices services = new TravelServices(dir.resolveSibling(dir.getFileName() + "-services.log"));
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            runtime.register(new TripBooking(services));
            if (args[0].equals("start")) {
                runtime.start(TripBooking.class, "trip-ok", new Trip("ok", "ada", 48_000, "Lisbon Palace", "TP557"));
                runtime.start(
                        TripBooking.class, "trip-full", new Trip("full", "bob", 52_000, "Porto Inn", "FULL-LH1170"));
                System.out.println("RESULT trip-ok: "
                        + runtime.<String>execution("trip-ok").result(Duration.ofSeconds(30)));
                runtime.awaitIdle(Duration.ofSeconds(30));
                System.out.println("STATUS trip-full "
                        + runtime.execution("trip-full").status() + " (its flight failed once and will be retried)");
                Thread.currentThread().join();
            } else {
                System.out.println("RESULT trip-full: "
                        + runtime.<String>execution("trip-full").result(Duration.ofSeconds(30)));
            }
        }
    }
}
