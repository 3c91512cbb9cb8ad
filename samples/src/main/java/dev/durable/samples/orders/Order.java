package dev.durable.samples.orders;

import java.util.List;

/** What a customer ordered. */
public record Order(String id, String customer, List<String> items, long totalCents, String manager) {}
