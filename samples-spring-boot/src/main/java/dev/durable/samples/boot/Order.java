package dev.durable.samples.boot;

import java.util.List;

/** What a customer ordered. */
public record Order(String id, String customer, List<String> items, long totalCents) {}
