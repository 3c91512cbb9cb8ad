package dev.durable.samples.agent;

import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.DurableContext;
import dev.durable.DurableHandler;
import dev.durable.ParallelConfig;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An AI agent loop written against the context API. Every model call and every tool call is a step, so a resumed
 * agent never pays for the same model call twice; harmless tool calls fan out with {@code map}; an irreversible
 * action waits for a human through a callback, holding no thread while it waits, however long.
 */
public final class TravelAgent implements DurableHandler<String, String> {
    public static final String NAME = "travel-agent";
    private static final int MAX_TURNS = 8;
    private static final StepConfig MODEL = StepConfig.builder()
            .retry(RetryPolicy.builder()
                    .maxAttempts(4)
                    .initialDelay(Duration.ofSeconds(1))
                    .backoff(2)
                    .build())
            .build();

    private final FakeModel model;
    private final Tools tools;
    private final HumanInbox inbox;

    /** Where approval requests go: a chat message, an e-mail, a ticket. */
    public interface HumanInbox {
        void ask(String question, String callbackId);
    }

    public TravelAgent(FakeModel model, Tools tools, HumanInbox inbox) {
        this.model = model;
        this.tools = tools;
        this.inbox = inbox;
    }

    @Override
    public String handle(String request, DurableContext ctx) {
        List<Message> conversation = new ArrayList<>(List.of(new Message("user", request)));
        for (int turn = 1; turn <= MAX_TURNS; turn++) {
            List<Message> seen = List.copyOf(conversation);
            ModelReply reply = ctx.step("model-" + turn, ModelReply.class, s -> model.complete(seen), MODEL);
            ctx.logger().info("turn {}: {}", turn, reply.text());
            conversation.add(new Message("assistant", reply.text()));
            if (reply.isFinal()) {
                return reply.text();
            }
            List<ToolCall> safe =
                    reply.toolCalls().stream().filter(c -> !c.irreversible()).toList();
            BatchResult<String> results = ctx.map(
                    "tools-" + turn,
                    safe,
                    String.class,
                    (call, i, c) -> c.step(call.tool(), String.class, s -> tools.run(call)),
                    ParallelConfig.defaults());
            results.results().forEach(r -> conversation.add(new Message("tool", r)));
            for (ToolCall call : reply.toolCalls()) {
                if (call.irreversible()) {
                    conversation.add(new Message("tool", approveThenRun(ctx, turn, call)));
                }
            }
        }
        return "gave up after " + MAX_TURNS + " turns";
    }

    private String approveThenRun(DurableContext ctx, int turn, ToolCall call) {
        Approval approval = ctx.waitForCallback(
                "approve-" + turn,
                Approval.class,
                (id, s) -> inbox.ask("May I " + call.tool() + " " + call.argument() + "?", id),
                CallbackConfig.timeout(Duration.ofDays(2)));
        if (!approval.approved()) {
            return "not booked: " + approval.by() + " said no";
        }
        return ctx.step(call.tool(), String.class, s -> tools.run(call));
    }
}
