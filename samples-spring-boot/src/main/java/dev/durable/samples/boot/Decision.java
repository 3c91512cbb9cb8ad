package dev.durable.samples.boot;

/** A manager's answer, the payload of the approval webhook: {@code {"approved": true, "by": "Grace"}}. */
public record Decision(boolean approved, String by) {}
