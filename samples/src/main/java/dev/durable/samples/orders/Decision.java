package dev.durable.samples.orders;

/** A manager's answer to an approval request. */
public record Decision(boolean approved, String by) {}
