/**
 * The API of Durable for Java: what application code imports.
 *
 * <p>A durable function is ordinary sequential code whose progress is checkpointed: each operation (a step, a
 * wait, a callback, a child context, a batch, an invocation) is journaled once it completes, and when the
 * execution resumes after a crash, a restart or a long wait, the handler runs again from the top while completed
 * operations return their journaled results instead of running again.
 *
 * <pre>{@code
 * import dev.durable.DurableRuntime;
 * import dev.durable.Execution;
 * import dev.durable.runtime.local.LocalRuntime;
 * import java.nio.file.Path;
 * import java.time.Duration;
 *
 * try (DurableRuntime runtime = LocalRuntime.open(Path.of("journal"))) {
 *     runtime.register("greet", String.class, String.class, (name, ctx) -> {
 *         String greeting = ctx.step("compose", String.class, s -> "Hello, " + name);
 *         ctx.wait("pause", Duration.ofHours(1));   // holds no thread; survives restarts
 *         return ctx.step("shout", String.class, s -> greeting.toUpperCase());
 *     });
 *     Execution<String> e = runtime.start("greet", "greet-ada", "Ada");
 * }
 * }</pre>
 *
 * <p>The entry points: {@link dev.durable.DurableRuntime} (register, start, inspect, complete callbacks, retry),
 * {@link dev.durable.DurableContext} (the operations a handler runs) and its configurations, {@link
 * dev.durable.Durable} (static access for annotated handlers), {@link dev.durable.Execution} and the records that
 * describe executions and their history. {@link dev.durable.DurableException} lists the exceptions by who must
 * act. Nothing in this package depends on the SPI or the engine's internals.
 */
package dev.durable;
