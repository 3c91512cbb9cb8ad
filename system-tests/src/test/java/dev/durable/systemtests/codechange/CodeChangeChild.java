package dev.durable.systemtests.codechange;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One deploy of the application: opens the journal on a manual clock set to the given instant, registers one release
 * of function "orders", starts the named executions, lets what is due run (then two hours more, after the first
 * release), prints {@code EXEC <name> <version> <status> <result or why it is blocked>} for every execution and
 * {@code IDLE}, and waits to be killed.
 *
 * <p>Arguments: journal directory, clock instant, release ({@code v1}, {@code patched}, {@code pinned},
 * {@code broken} or {@code fixed}), comma-separated names to start ({@code -} for none).
 */
public final class CodeChangeChild {
    private CodeChangeChild() {}

    public static void main(String[] args) throws Exception {
        Path journal = Path.of(args[0]);
        ManualClock clock = new ManualClock(Instant.parse(args[1]));
        String release = args[2];
        List<String> names = args[3].equals("-") ? List.of() : List.of(args[3].split(","));

        LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open();
        switch (release) {
            case "v1" -> runtime.register(new OrdersV1_Durable());
            case "patched" -> runtime.register(new OrdersPatched_Durable("v2"));
            case "pinned" -> {
                runtime.register(new OrdersV1_Durable());
                runtime.register(new OrdersV2Pinned_Durable());
            }
            case "broken" -> runtime.register(new OrdersBroken_Durable());
            case "fixed" -> runtime.register(new OrdersPatched_Durable("v3"));
            default -> throw new IllegalArgumentException("unknown release " + release);
        }
        for (String name : names) {
            runtime.start("orders", name, name);
        }
        settle(runtime);
        if (!release.equals("v1")) {
            clock.advance(Duration.ofHours(2)); // the new executions' cooling-off passes too
            settle(runtime);
        }
        for (ExecutionInfo info : runtime.list()) {
            String detail;
            if (info.status() == ExecutionStatus.BLOCKED) {
                detail = info.blockedReason().replace('\n', ' ');
            } else {
                ExecutionDetails d = runtime.describe(info.name());
                detail = d.result() != null
                        ? d.result()
                        : d.error() != null ? d.error().summary() : "-";
            }
            System.out.println("EXEC " + info.name() + " " + info.version() + " " + info.status() + " " + detail);
        }
        System.out.println("IDLE");
        System.in.read(); // until killed
    }

    private static void settle(LocalRuntime runtime) {
        if (!runtime.awaitIdle(Duration.ofSeconds(30))) {
            System.out.println("NOT-IDLE");
            System.exit(3);
        }
    }
}
