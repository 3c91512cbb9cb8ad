package dev.durable.benchmarks.micro;

import dev.durable.benchmarks.Benchmarks;
import dev.durable.runtime.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one step costs in MEMORY mode ({@link LocalRuntime#inMemory()}, journal in memory, nothing written to disk),
 * against a plain method call.
 *
 * <p>{@link #step} runs one execution of {@value #STEPS} sequential steps, {@code ctx.step("step", Integer.class, s ->
 * value)}, and waits for its result; the score is the time per step, so it includes what the engine does around each
 * step (checking the operation against the journal, writing its result as JSON and reading it back, journaling the
 * record) and a {@value #STEPS}th of starting and finishing the execution. {@link #plainCall} is the same loop with a
 * plain method call in place of the step: the difference of the two is what the harness's "7 MEMORY mode" line
 * reports. Each execution is forgotten once it has finished, outside the measured time, so that the in-memory
 * journal stays small and the garbage collector does not copy the records of every execution run so far.
 *
 * <p>The engine's many classes take longer to compile than the codecs do: {@code step} is still several times slower
 * in its third second than from its fourth or fifth on, so this class warms up for 5 iterations instead of 3.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar micro MemoryModeStep}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MemoryModeStep {
    /** Steps per execution: enough that starting the execution weighs little on the time per step. */
    static final int STEPS = 1_000;

    /** A MEMORY-mode runtime with the function that runs the steps. */
    @State(Scope.Benchmark)
    public static class InMemory {
        LocalRuntime runtime;
        long executions;

        @Setup(Level.Trial)
        public void open() {
            runtime = LocalRuntime.inMemory();
            runtime.register("steps", Integer.class, Integer.class, (n, ctx) -> Benchmarks.steps(ctx, n));
        }

        @TearDown(Level.Invocation)
        public void forgetFinished() {
            runtime.forgetFinished(Instant.MAX);
        }

        @TearDown(Level.Trial)
        public void close() {
            runtime.close();
        }
    }

    /** One execution of {@value #STEPS} steps; the score is per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int step(InMemory s) {
        return s.runtime
                .<Integer>start("steps", "steps-" + s.executions++, STEPS)
                .result(Duration.ofMinutes(1));
    }

    /** The same loop calling a plain method that is not inlined; the score is per call. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public int plainCall() {
        int sum = 0;
        for (int i = 0; i < STEPS; i++) {
            sum += plain(i);
        }
        return sum;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static int plain(int value) {
        return value;
    }
}
