package dev.durable.spring.app;

public record Decision(boolean approved, String by) {}
