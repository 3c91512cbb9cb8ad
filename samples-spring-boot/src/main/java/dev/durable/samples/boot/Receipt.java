package dev.durable.samples.boot;

/** How an order ended. */
public record Receipt(String order, String status, String payment, String detail) {}
