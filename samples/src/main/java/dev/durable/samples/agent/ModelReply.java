package dev.durable.samples.agent;

import java.util.List;

/** What the model answered: tool calls to make, or a final answer; and what the call cost. */
public record ModelReply(String text, List<ToolCall> toolCalls, int costCents) {
    public boolean isFinal() {
        return toolCalls.isEmpty();
    }
}
