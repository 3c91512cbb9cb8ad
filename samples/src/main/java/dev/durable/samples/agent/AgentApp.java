package dev.durable.samples.agent;

import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent service as one process would run it:
 * <ul>
 *   <li>{@code start DIR}: asks the agent to plan a trip; it stops when the agent waits for a human to approve the
 *   booking (the demo kills it there with SIGKILL);</li>
 *   <li>{@code approve DIR CALLBACK_ID yes|no}: a new process answers, and the agent finishes.</li>
 * </ul>
 */
public final class AgentApp {
    static final String EXECUTION = "trip-7";

    private AgentApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        FakeModel model = new FakeModel(dir.resolveSibling(dir.getFileName() + "-ledger.log"));
        CompletableFuture<String> asked = new CompletableFuture<>();
        TravelAgent agent = new TravelAgent(model, new Tools(model), (question, id) -> {
            System.out.println("  [to the traveller] " + question + " (callback " + id + ")");
            asked.complete(id);
        });
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            if (args[0].equals("start")) {
                runtime.register(TravelAgent.NAME, String.class, String.class, agent);
                runtime.start(
                        TravelAgent.NAME, EXECUTION, "Plan me a sunny weekend in Lisbon from Berlin, and book it.");
                String id = asked.get(60, TimeUnit.SECONDS);
                runtime.awaitIdle(Duration.ofSeconds(30));
                System.out.println("STATUS " + runtime.execution(EXECUTION).status());
                System.out.println("CALLBACK " + id);
                Thread.currentThread().join();
            } else {
                runtime.completeCallback(args[2], new Approval(args[3].equals("yes"), "the traveller"));
                runtime.register(TravelAgent.NAME, String.class, String.class, agent);
                System.out.println(
                        "ANSWER " + runtime.<String>execution(EXECUTION).result(Duration.ofSeconds(30)));
            }
        }
    }
}
