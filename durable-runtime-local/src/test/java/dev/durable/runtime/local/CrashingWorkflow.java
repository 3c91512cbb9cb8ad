package dev.durable.runtime.local;

import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.annotations.StepSemantics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A workflow run in a child JVM that the test kills at a chosen point. Step bodies append to a side-effect log
 * outside the journal, so the test can count how often each really ran.
 */
public final class CrashingWorkflow {
    private CrashingWorkflow() {}

    static void register(LocalRuntime runtime, Path effects, boolean hangInCharge) {
        StepConfig atMostOnce = StepConfig.builder()
                .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                .retry(RetryPolicy.noRetry())
                .build();
        runtime.register("checkout", String.class, String.class, (order, ctx) -> {
            String reservation = ctx.step("reserve", String.class, s -> {
                effect(effects, "reserve");
                return "R-" + order;
            });
            String payment;
            try {
                payment = ctx.step(
                        "charge",
                        String.class,
                        s -> {
                            effect(effects, "charge");
                            if (hangInCharge) {
                                System.out.println("IN charge");
                                new CountDownLatch(1).await();
                            }
                            return "P-" + order;
                        },
                        atMostOnce);
            } catch (dev.durable.StepInterruptedException e) {
                payment = "interrupted";
            }
            ctx.wait("cooling-off", Duration.ofMillis(300));
            String shipped = ctx.step("ship", String.class, s -> {
                effect(effects, "ship");
                return "S-" + order;
            });
            return reservation + "," + payment + "," + shipped;
        });
    }

    static void effect(Path effects, String name) throws java.io.IOException {
        Files.writeString(
                effects, name + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    /** args: journal directory, effects file, mode ("hang-in-charge" or "stop-at-wait"). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path effects = Path.of(args[1]);
        LocalRuntime runtime = LocalRuntime.open(dir);
        register(runtime, effects, args[2].equals("hang-in-charge"));
        runtime.start("checkout", "order-1", "o1");
        if (args[2].equals("stop-at-wait")) {
            runtime.awaitIdle(Duration.ofSeconds(30));
            System.out.println("WAITING");
        }
        new CountDownLatch(1).await();
    }
}
