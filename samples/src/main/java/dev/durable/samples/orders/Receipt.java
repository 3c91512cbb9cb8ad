package dev.durable.samples.orders;

/** How an order ended. */
public record Receipt(String order, String status, String reservation, String payment, String detail) {}
