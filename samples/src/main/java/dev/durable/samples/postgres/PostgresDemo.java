package dev.durable.samples.postgres;

import dev.durable.Execution;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import dev.durable.samples.ProcessScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Three worker processes share one PostgreSQL database: twenty orders start from a client that runs no handlers,
 * one worker is killed with SIGKILL mid-run, and its orders continue on the other two once its lease runs out.
 * Every order finishes, and no card is charged twice.
 */
public final class PostgresDemo {
    private static final int ORDERS = 20;

    private PostgresDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/postgres-demo").toAbsolutePath();
        ProcessScript.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path ledger = dir.resolve("ledger.log");
        System.out.println("== 1. a throwaway PostgreSQL server");
        try (TestPostgres pg = TestPostgres.start()) {
            System.out.println("   " + pg.jdbcUrl());
            ProcessScript app = new ProcessScript(CheckoutWorker.class, List.of());
            List<Process> workers = new ArrayList<>();
            System.out.println("== 2. three workers");
            for (String id : List.of("worker-1", "worker-2", "worker-3")) {
                Process p = app.launch(pg.jdbcUrl(), id, ledger.toString());
                ProcessScript.echoUntil(p, "READY");
                workers.add(p);
            }
            try (PostgresRuntime client = PostgresRuntime.builder()
                    .url(pg.jdbcUrl())
                    .workerId("client")
                    .runHandlers(false)
                    .open()) {
                client.register(new Checkout_Durable(new Ledger(ledger, "client")));
                System.out.println("== 3. the client starts " + ORDERS + " orders");
                Map<String, Execution<String>> orders = new LinkedHashMap<>();
                for (int i = 1; i <= ORDERS; i++) {
                    String name = "order-" + i;
                    orders.put(name, client.start(Checkout.class, name, name));
                }
                String victim = awaitCharges(ledger, 3);
                Process killed = workers.get(Integer.parseInt(victim.substring("worker-".length())) - 1);
                System.out.println("== 4. kill -9 " + victim + " right after it charged a card");
                ProcessScript.kill(killed);

                System.out.println("== 5. its orders continue on the others once its lease runs out");
                int shipped = 0;
                List<String> needReview = new ArrayList<>();
                for (Map.Entry<String, Execution<String>> o : orders.entrySet()) {
                    try {
                        String result = o.getValue().result(Duration.ofSeconds(60));
                        System.out.println("   " + o.getKey() + ": " + result);
                        shipped++;
                    } catch (RuntimeException failed) {
                        // the kill cut a charge short: at most once means it is not retried, a human checks it
                        System.out.println("   " + o.getKey() + ": held for review, its charge was cut short: "
                                + failed.getMessage());
                        needReview.add(o.getKey());
                    }
                }
                Map<String, Integer> charges = charges(ledger);
                List<String> twice = charges.entrySet().stream()
                        .filter(c -> c.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
                System.out.println("== every order finished: " + shipped + " shipped, " + needReview.size()
                        + " held for review (a charge started on the killed worker and never acknowledged is not"
                        + " run again: at most once)");
                if (!twice.isEmpty() || shipped + needReview.size() != ORDERS) {
                    throw new IllegalStateException("the demo did not end as expected: charged twice " + twice);
                }
                System.out.println("== no card was charged twice (" + charges.size() + " charges for " + ORDERS
                        + " orders, see " + ledger + ")");
            } finally {
                for (Process p : workers) {
                    p.destroy();
                    ProcessScript.await(p);
                }
            }
        }
    }

    /** Waits for {@code n} charges in the ledger; returns the worker that made the last. */
    private static String awaitCharges(Path ledger, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
            List<String> charged =
                    lines.stream().filter(l -> l.startsWith("charge ")).toList();
            if (charged.size() >= n) {
                String last = charged.get(charged.size() - 1);
                return last.substring(last.lastIndexOf(" on ") + 4);
            }
            Thread.sleep(20); // polling a file another process writes; nothing to wait on in this process
        }
        throw new IllegalStateException("the workers made fewer than " + n + " charges within 60 s");
    }

    private static Map<String, Integer> charges(Path ledger) throws IOException {
        Map<String, Integer> count = new TreeMap<>();
        for (String line : Files.readAllLines(ledger)) {
            if (line.startsWith("charge ")) {
                count.merge(line.split(" ")[1], 1, Integer::sum);
            }
        }
        return count;
    }
}
