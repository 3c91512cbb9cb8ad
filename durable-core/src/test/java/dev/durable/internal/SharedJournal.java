package dev.durable.internal;

import dev.durable.ErrorInfo;
import dev.durable.JournalException;
import dev.durable.ManualClock;
import dev.durable.spi.journal.AlreadyStartedException;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One journal shared by several processes, as a database backend shares it: each {@link Process} is an engine whose
 * journal and {@link Ownership} are views of the same records and the same table of owners. A process holds the
 * executions it started and those it claims; an append for an execution it does not hold fails with
 * {@link LeaseLostException}, a second start of a name with {@link AlreadyStartedException}. What each process hands
 * back (releases, blocks, wake-ups) is recorded for the test to see, as the database's rows would show it.
 */
final class SharedJournal {
    /** A run handed back: ended, or waiting until {@code wakeAt} ({@code null}: an outside event). */
    record Released(String process, String name, boolean ended, Instant wakeAt) {}

    final MemoryJournal records = new MemoryJournal();
    final ManualClock clock = new ManualClock();
    final List<Released> released = new CopyOnWriteArrayList<>();
    final Map<String, ErrorInfo> blocked = new ConcurrentHashMap<>();
    final List<String> woken = new CopyOnWriteArrayList<>();
    /** The names whose start was refused because another process had started them. */
    final List<String> startsRefused = new CopyOnWriteArrayList<>();

    private final Map<String, Process> owners = new ConcurrentHashMap<>();
    /** Heard by the engines of the processes made after it is set. */
    volatile dev.durable.spi.plugin.DurablePlugin plugin;

    /** A process that runs handlers, with the functions {@code registrations} registers. */
    Process worker(String id, Consumer<DurableEngine> registrations) {
        return new Process(id, true, registrations);
    }

    /** A process that runs no handlers: it starts executions and reads them. */
    Process client(String id, Consumer<DurableEngine> registrations) {
        return new Process(id, false, registrations);
    }

    /** The process holding execution {@code name}, or {@code null} (due for whoever claims it). */
    String owner(String name) {
        Process p = owners.get(name);
        return p == null ? null : p.id;
    }

    final class Process implements Journal, Ownership, AutoCloseable {
        final String id;
        private final boolean runsHandlers;
        final DurableEngine engine;
        /** What the next releases answer, in turn; then {@link Release#LET_GO}, which lets the execution go. */
        final Queue<Release> answers = new ConcurrentLinkedQueue<>();
        /** Run as a release begins, while the execution is still held. */
        volatile Runnable releasing = () -> {};
        /** Set to fail reads, as an unreachable database does. */
        volatile boolean readsFail;
        /** The appends that fail as if the database were unreachable. */
        volatile Predicate<JournalRecord> appendsFail = r -> false;

        private Process(String id, boolean runsHandlers, Consumer<DurableEngine> registrations) {
            this.id = id;
            this.runsHandlers = runsHandlers;
            EngineBuilder b = DurableEngine.builder()
                    .journal(this)
                    .ownership(this)
                    .clock(clock)
                    .threads(4)
                    .closeJournal(false);
            if (plugin != null) {
                b.plugin(plugin);
            }
            this.engine = b.build();
            registrations.accept(engine);
        }

        /** Claims execution {@code name} if no process holds it and hands it to the engine; whether it took it. */
        boolean claim(String name, boolean run) {
            if (owners.putIfAbsent(name, this) != null) {
                return false;
            }
            if (!engine.sharing().adopt(name, run)) {
                owners.remove(name, this);
                return false;
            }
            return true;
        }

        /** Another process claims execution {@code name}: this one loses its lease without being told. */
        void loseLease(String name, Process to) {
            owners.put(name, to);
        }

        void idle() {
            if (!engine.awaitIdle(Duration.ofSeconds(10))) {
                throw new AssertionError("executions of " + id + " still running after 10 s");
            }
        }

        @Override
        public void append(JournalRecord record) {
            if (appendsFail.test(record)) {
                throw new JournalException("the database is unreachable from " + id);
            }
            String name = record.executionId();
            synchronized (SharedJournal.this) {
                if (record.type() == RecordType.EXECUTION_STARTED) {
                    if (records.first(name) != null) {
                        startsRefused.add(name);
                        throw new AlreadyStartedException("execution '" + name + "' was started by another process");
                    }
                    owners.put(name, this);
                } else if (owners.get(name) != this) {
                    throw new LeaseLostException(id + " no longer owns execution '" + name + "'");
                }
                records.append(record);
            }
        }

        @Override
        public Collection<String> executionIds() {
            return records.executionIds();
        }

        @Override
        public List<JournalRecord> read(String executionId) {
            if (readsFail) {
                throw new JournalException("the database is unreachable from " + id);
            }
            return records.read(executionId);
        }

        @Override
        public JournalRecord first(String executionId) {
            return records.first(executionId);
        }

        @Override
        public JournalRecord last(String executionId) {
            return records.last(executionId);
        }

        @Override
        public void forget(Collection<String> executionIds) {
            records.forget(executionIds);
        }

        @Override
        public boolean runsHandlers() {
            return runsHandlers;
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public Release release(String name, boolean ended, Instant wakeAt) {
            releasing.run();
            released.add(new Released(id, name, ended, wakeAt));
            Release next = answers.poll();
            Release r = next == null ? Release.LET_GO : next;
            if (r == Release.LET_GO) {
                owners.remove(name, this);
            }
            return r;
        }

        @Override
        public Release block(String name, ErrorInfo reason) {
            blocked.put(name, reason);
            owners.remove(name, this);
            return Release.LET_GO;
        }

        @Override
        public void wake(String name) {
            woken.add(name);
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
