/**
 * The engine: not API. Its types may change in any release; runtimes (such as {@code LocalRuntime}) build on
 * {@link dev.durable.internal.DurableEngine}, and applications use {@link dev.durable.DurableRuntime} instead.
 */
package dev.durable.internal;
