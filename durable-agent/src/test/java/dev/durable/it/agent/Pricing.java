package dev.durable.it.agent;

/** A generic interface, so that implementing it makes javac write a bridge method. */
public interface Pricing<T> {
    T quote(Order order);
}
