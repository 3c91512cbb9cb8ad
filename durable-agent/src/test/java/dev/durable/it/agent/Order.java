package dev.durable.it.agent;

public record Order(String id, int quantity) {}
