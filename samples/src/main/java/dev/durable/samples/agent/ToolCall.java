package dev.durable.samples.agent;

/** A tool the model wants to run, with its argument. */
public record ToolCall(String tool, String argument) {
    /** Whether running it cannot be undone, so a human must approve it first. */
    public boolean irreversible() {
        return tool.equals("book_flight");
    }
}
