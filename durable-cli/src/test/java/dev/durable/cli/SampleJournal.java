package dev.durable.cli;

import dev.durable.CallbackConfig;
import dev.durable.ExecutionStatus;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real journal for the commands to work on, written by a LocalRuntime that is closed again:
 * {@code order-1} waits for its approval callback, {@code bad-2} failed at its charge step, {@code echo-3} succeeded.
 */
final class SampleJournal {
    /** What the approval callback carries. */
    record Decision(boolean approved) {}

    static final StepConfig NO_RETRY =
            StepConfig.builder().retry(RetryPolicy.noRetry()).build();

    final Path dir;
    /** Callback ids by execution name, as the submitter handed them out. */
    final Map<String, String> callbacks = new ConcurrentHashMap<>();

    private SampleJournal(Path dir) {
        this.dir = dir;
    }

    /** The sample over an existing journal, as the application registers its functions. */
    static SampleJournal of(Path dir) {
        return new SampleJournal(dir);
    }

    static SampleJournal create(Path dir) {
        SampleJournal journal = new SampleJournal(dir);
        try (LocalRuntime rt = LocalRuntime.open(dir)) {
            journal.register(rt, true);
            rt.start("order", "order-1", "o1");
            rt.start("order", "bad-2", "bad");
            rt.start("echo", "echo-3", "hi");
            rt.awaitIdle(Duration.ofSeconds(20));
            check(rt, "order-1", ExecutionStatus.WAITING);
            check(rt, "bad-2", ExecutionStatus.FAILED);
            check(rt, "echo-3", ExecutionStatus.SUCCEEDED);
        }
        return journal;
    }

    private static void check(LocalRuntime rt, String name, ExecutionStatus expected) {
        ExecutionStatus actual = rt.execution(name).status();
        if (actual != expected) {
            throw new AssertionError(name + " is " + actual + ", expected " + expected);
        }
    }

    /** What the application registers; {@code chargeFails} decides whether the charge step of "bad" inputs fails. */
    void register(LocalRuntime rt, boolean chargeFails) {
        rt.register("order", String.class, String.class, (in, ctx) -> {
            String reservation = ctx.step("reserve", String.class, s -> "R-" + in);
            if (in.startsWith("bad")) {
                ctx.step(
                        "charge",
                        String.class,
                        s -> {
                            if (chargeFails) {
                                throw new IllegalStateException("card declined");
                            }
                            return "P-" + in;
                        },
                        NO_RETRY);
            }
            String name = ctx.executionName();
            Decision d = ctx.waitForCallback(
                    "approval",
                    Decision.class,
                    (id, s) -> callbacks.put(name, id),
                    CallbackConfig.timeout(Duration.ofDays(7)));
            return (d.approved() ? "shipped " : "refunded ") + reservation;
        });
        rt.register("echo", String.class, String.class, (in, ctx) -> ctx.step("say", String.class, s -> in + "!"));
    }

    /** Opens the journal as the application does on its next start. */
    LocalRuntime reopen(boolean chargeFails) {
        LocalRuntime rt = LocalRuntime.open(dir);
        register(rt, chargeFails);
        return rt;
    }

    String callbackOf(String execution) {
        return callbacks.get(execution);
    }
}
