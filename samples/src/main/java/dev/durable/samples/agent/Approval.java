package dev.durable.samples.agent;

/** A human's answer to "may the agent do this?". */
public record Approval(boolean approved, String by) {}
