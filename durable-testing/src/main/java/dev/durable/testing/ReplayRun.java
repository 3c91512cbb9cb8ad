package dev.durable.testing;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.SerDes;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.spi.journal.Journal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionException;

/** One replay: a fresh runtime over a copy of journal records, on a clock of its own, with the test's functions. */
final class ReplayRun implements AutoCloseable {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    final ManualClock clock;
    final LocalRuntime runtime;
    final Set<String> functions;

    private ReplayRun(ManualClock clock, LocalRuntime runtime, Set<String> functions) {
        this.clock = clock;
        this.runtime = runtime;
        this.functions = functions;
    }

    /** Opens the runtime at {@code at} and registers the functions, which resumes the executions in {@code journal}. */
    static ReplayRun open(Journal journal, Instant at, Registrations registrations, SerDes serdes) {
        ManualClock clock = new ManualClock(at);
        LocalRuntime.Builder b = LocalRuntime.builder()
                .journal(journal)
                .clock(clock)
                .retention(DurableTestRuntime.KEEP_FOREVER)
                .threads(4);
        if (serdes != null) {
            b.serdes(serdes);
        }
        LocalRuntime runtime = b.open();
        try {
            return new ReplayRun(clock, runtime, registrations.applyTo(runtime));
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Waits until no handler runs; false if one still does after 10 s. */
    boolean idle() {
        return runtime.awaitIdle(IDLE_TIMEOUT);
    }

    ExecutionDetails describe(String executionName) {
        return runtime.describe(executionName);
    }

    /**
     * Where the replay of {@code executionName} diverged from its journal, if it did (the execution is then BLOCKED),
     * rebuilt from what the runtime reports; {@code null} otherwise.
     */
    NonDeterministicExecutionException divergence(String executionName) {
        ExecutionDetails d = runtime.describe(executionName);
        if (d.info().status() != ExecutionStatus.BLOCKED || d.error() == null) {
            return liveFailure(executionName, NonDeterministicExecutionException.class);
        }
        return Divergence.parse(executionName, d.error().message());
    }

    /** The exception in this run's failure (or halt) of type {@code type}, or {@code null}. */
    <T extends Throwable> T liveFailure(String executionName, Class<T> type) {
        Throwable t;
        try {
            runtime.execution(executionName).future().getNow(null);
            return null;
        } catch (CompletionException e) {
            t = e.getCause();
        } catch (RuntimeException e) {
            return null;
        }
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
