package dev.durable.systemtests;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.Execution;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.spi.weaving.DurableProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process the crash harness kills: opens the journal, registers {@link MixedWorkflow} and {@link Labeler}
 * (generated proxies, or plain instances woven by the agent), makes sure every named execution is started, and
 * completes each callback a moment after it is handed out, and at once those handed out before the last crash.
 *
 * <p>Prints {@code READY}, an {@code E <line>} for every effect, {@code COMPLETED <id>} or {@code ALREADY <id>}
 * per callback it completes, {@code DONE <execution> <result>} or {@code FAILED <execution> <error>}, then
 * {@code ALL-DONE} and exits.
 *
 * <p>Arguments: {@code proxy|agent}, journal directory, effect log, comma-separated execution names.
 */
public final class CrashChild {
    /** How long the outside world takes to answer a callback: kills often fall in between. */
    private static final Duration COMPLETION_DELAY = Duration.ofMillis(150);

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        boolean agent = args[0].equals("agent");
        Path journal = Path.of(args[1]);
        Path effectFile = Path.of(args[2]);
        List<String> names = List.of(args[3].split(","));

        List<EffectLog.Line> earlier = EffectLog.read(effectFile);
        EffectLog effects = EffectLog.open(effectFile, true);

        LocalRuntime runtime = LocalRuntime.open(journal);
        if (agent) {
            MixedWorkflow plain = new MixedWorkflow(effects);
            if (plain instanceof DurableProxy || !Boolean.getBoolean("dev.durable.agent.active")) {
                System.out.println("NOT-WOVEN the agent is not active in this JVM");
                System.exit(2);
            }
            runtime.register(plain);
            runtime.register(new Labeler(effects));
        } else {
            runtime.register(new MixedWorkflow_Durable(effects));
            runtime.register(new Labeler_Durable(effects));
        }
        System.out.println("READY");

        ScheduledExecutorService completer = Executors.newSingleThreadScheduledExecutor();
        for (EffectLog.Line line : earlier) {
            if (line.kind().equals("callback")) {
                completer.execute(() -> complete(runtime, line));
            }
        }
        effects.onLine(line -> {
            if (line.kind().equals("callback")) {
                completer.schedule(() -> complete(runtime, line), COMPLETION_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });

        List<CompletableFuture<?>> results = new ArrayList<>();
        for (String name : names) {
            Execution<String> execution = runtime.start("mixed", name, name);
            results.add(execution
                    .future()
                    .whenComplete((result, failure) -> System.out.println(
                            failure == null
                                    ? "DONE " + name + " " + result
                                    : "FAILED " + name + " "
                                            + failure.toString().replace('\n', ' '))));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .handle((r, e) -> null)
                .get(5, TimeUnit.MINUTES);
        System.out.println("ALL-DONE");
        runtime.close();
        System.exit(0);
    }

    private static void complete(LocalRuntime runtime, EffectLog.Line callback) {
        try {
            runtime.completeCallback(callback.subject(), MixedWorkflow.approvalFor(callback.execution()));
            System.out.println("COMPLETED " + callback.subject());
        } catch (CallbackAlreadyCompletedException e) {
            System.out.println("ALREADY " + callback.subject());
        } catch (RuntimeException e) {
            System.out.println("CALLBACK-ERROR " + callback.subject() + " " + e);
        }
    }
}
