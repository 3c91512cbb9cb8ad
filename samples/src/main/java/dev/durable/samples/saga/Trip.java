package dev.durable.samples.saga;

/** A trip to book: the traveller's wallet is debited, then a hotel and a flight are booked. */
public record Trip(String id, String traveller, long priceCents, String hotel, String flight) {}
