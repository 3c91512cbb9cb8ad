package dev.durable.samples.orders;

import dev.durable.Execution;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The order service as one process would run it. Each mode is a separate process start, like a deployment that
 * crashes, restarts and is reached by an operator:
 * <ul>
 *   <li>{@code start DIR}: starts order-42 and stops once it is cooling off (the demo kills it there with SIGKILL);</li>
 *   <li>{@code resume DIR}: opens the journal again; the order resumes, asks the manager, and the process stops;</li>
 *   <li>{@code approve DIR CALLBACK_ID}: completes the manager's callback and prints the receipt.</li>
 * </ul>
 */
public final class OrderApp {
    static final String EXECUTION = "order-42";
    static final Duration COOLING_OFF = Duration.ofSeconds(2);
    static final Order ORDER =
            new Order("42", "ada@example.com", List.of("keyboard", "mouse"), 12_900, "grace@example.com");

    private OrderApp() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: OrderApp start|resume DIR  |  OrderApp approve DIR CALLBACK_ID");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        Services services = new Services(dir.resolveSibling(dir.getFileName() + "-effects.log"));
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            switch (args[0]) {
                case "start" -> {
                    CompletableFuture<String> charged = new CompletableFuture<>();
                    services.onCall(call -> {
                        if (call.startsWith("charge")) {
                            charged.complete(call);
                        }
                    });
                    runtime.register(new OrderProcessor_Durable(services, COOLING_OFF));
                    OrderProcessor_Durable.start(runtime, EXECUTION, ORDER);
                    charged.get(60, TimeUnit.SECONDS);
                    runtime.awaitIdle(Duration.ofSeconds(30));
                    System.out.println("STATUS " + runtime.execution(EXECUTION).status() + " (cooling off for 2 s)");
                    Thread.currentThread().join();
                }
                case "resume" -> {
                    CompletableFuture<String> mailed = new CompletableFuture<>();
                    services.onCall(call -> {
                        if (call.startsWith("mail")) {
                            mailed.complete(call.substring(call.lastIndexOf(' ') + 1));
                        }
                    });
                    runtime.register(new OrderProcessor_Durable(services, COOLING_OFF));
                    String id = mailed.get(60, TimeUnit.SECONDS);
                    runtime.awaitIdle(Duration.ofSeconds(30));
                    System.out.println("STATUS " + runtime.execution(EXECUTION).status() + " for the manager");
                    System.out.println("CALLBACK " + id);
                }
                case "approve" -> {
                    runtime.completeCallback(args[2], new Decision(true, "grace@example.com"));
                    runtime.register(new OrderProcessor_Durable(services, COOLING_OFF));
                    Execution<Receipt> ex = runtime.execution(EXECUTION);
                    Receipt receipt = ex.result(Duration.ofSeconds(30));
                    System.out.println("STATUS " + ex.status());
                    System.out.println("RECEIPT " + receipt);
                }
                default -> {
                    System.err.println("unknown mode " + args[0]);
                    System.exit(2);
                }
            }
        }
    }
}
