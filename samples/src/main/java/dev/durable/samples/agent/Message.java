package dev.durable.samples.agent;

/** One turn of the conversation the model sees. */
public record Message(String role, String content) {}
