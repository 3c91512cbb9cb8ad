package dev.durable.internal;

import dev.durable.DurableRuntime;
import dev.durable.ManualClock;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An engine on an in-memory journal and a manual clock; {@link #restart} simulates a process restart: a new
 * engine over the same journal and clock, with the functions registered again by {@code registrations}.
 */
final class EngineFixture implements AutoCloseable {
    final MemoryJournal journal = new MemoryJournal();
    final ManualClock clock = new ManualClock();
    private final Consumer<DurableEngine> registrations;
    private final long payloadLimit;
    private final DurablePlugin[] plugins;
    DurableEngine engine;

    EngineFixture(Consumer<DurableEngine> registrations) {
        this(registrations, DurableRuntime.DEFAULT_PAYLOAD_LIMIT);
    }

    EngineFixture(Consumer<DurableEngine> registrations, long payloadLimit) {
        this(registrations, payloadLimit, new DurablePlugin[0]);
    }

    /** An engine whose plugins are {@code plugins}, in this engine and every one a restart opens. */
    EngineFixture(Consumer<DurableEngine> registrations, DurablePlugin... plugins) {
        this(registrations, DurableRuntime.DEFAULT_PAYLOAD_LIMIT, plugins);
    }

    private EngineFixture(Consumer<DurableEngine> registrations, long payloadLimit, DurablePlugin[] plugins) {
        this.registrations = registrations;
        this.payloadLimit = payloadLimit;
        this.plugins = plugins;
        open();
    }

    private void open() {
        journal.reopen();
        EngineBuilder b = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .payloadLimit(payloadLimit)
                .threads(4);
        for (DurablePlugin p : plugins) {
            b.plugin(p);
        }
        engine = b.build();
        registrations.accept(engine);
    }

    /** Lets running handlers settle, closes the engine (the process stops) and opens a new one on the same journal (the process restarts). */
    EngineFixture restart() {
        idle();
        engine.close();
        open();
        idle();
        return this;
    }

    /** Waits until every execution has ended or is waiting. */
    EngineFixture idle() {
        if (!engine.awaitIdle(Duration.ofSeconds(10))) {
            throw new AssertionError("executions still running after 10 s");
        }
        return this;
    }

    /** Moves the clock forward and waits for the woken executions to settle. */
    EngineFixture advance(Duration d) {
        idle();
        clock.advance(d);
        return idle();
    }

    @Override
    public void close() {
        engine.close();
    }
}
