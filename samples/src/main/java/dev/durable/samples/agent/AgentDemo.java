package dev.durable.samples.agent;

import dev.durable.samples.ProcessScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the travel agent through a crash: the first process plans the trip (paid model calls, tool calls in
 * parallel) and is killed with SIGKILL while the agent waits for the traveller to approve the booking; a second
 * process delivers the approval and the agent finishes. The ledger shows each paid model call exactly once.
 */
public final class AgentDemo {
    private AgentDemo() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/agent-journal").toAbsolutePath();
        Path ledger = dir.resolveSibling(dir.getFileName() + "-ledger.log");
        ProcessScript.deleteRecursively(dir);
        Files.deleteIfExists(ledger);
        ProcessScript app = new ProcessScript(AgentApp.class, List.of());

        System.out.println(
                "== 1. the agent plans the trip, then waits for approval; the process is killed with SIGKILL");
        Process first = app.launch("start", dir.toString());
        String callback = ProcessScript.echoUntil(first, "CALLBACK").substring("CALLBACK ".length());
        ProcessScript.kill(first);

        System.out.println("== 2. a new process delivers the traveller's approval; the agent resumes and books");
        Process second = app.launch("approve", dir.toString(), callback, "yes");
        ProcessScript.echoUntil(second, "ANSWER");
        ProcessScript.await(second);

        System.out.println("== ledger (" + ledger + "):");
        List<String> lines = Files.readAllLines(ledger);
        lines.forEach(l -> System.out.println("   " + l));
        List<String> modelCalls =
                lines.stream().filter(l -> l.startsWith("model call")).toList();
        System.out.println("== " + modelCalls.size() + " paid model calls for 3 turns, none repeated after the crash");
        if (modelCalls.size() != 3
                || lines.stream().filter(l -> l.startsWith("tool book_flight")).count() != 1) {
            throw new IllegalStateException("the demo did not end as expected: " + lines);
        }
    }
}
