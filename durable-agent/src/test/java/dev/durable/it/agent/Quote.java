package dev.durable.it.agent;

/** A step result that must replay as its own type, not as a map. */
public record Quote(int amount) {}
