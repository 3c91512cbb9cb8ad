package dev.durable.spi.weaving;

/**
 * Implemented by every proxy the annotation processor generates ({@code OrderProcessor_Durable}); the runtime uses
 * it to tell a proxy from a plain instance of a {@code @DurableFunction} class.
 */
public interface DurableProxy {}
