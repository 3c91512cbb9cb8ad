package dev.durable.testing;

import dev.durable.DurableHandler;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.OperationInfo;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays saved journals against the current handler code and reports, per execution, whether the code still
 * replays it: the safety net for changing a durable function while executions are in flight.
 *
 * <p>Each execution is replayed on its own in-memory copy of the journal, on a clock set to its last record. An
 * ended execution has its end removed from the copy, so the handler replays to the end, and the result is compared
 * with the journaled one. An unfinished execution is replayed up to where the journal ends and stopped at the
 * first operation the journal holds no outcome for. Step bodies whose outcome is journaled do not run; a step body
 * at the very end of an unfinished execution may run once before the replay stops, so register handlers wired to
 * test doubles. The saved journal is never modified: a journal directory is copied first.
 *
 * <pre>{@code
 * @Test
 * void theNewOrderProcessorStillReplaysLastReleasesJournal() {
 *     JournalReplayer.create()
 *             .register(new OrderProcessor_Durable(fakeInventory, fakePayments, fakeMailer))
 *             .replay(Path.of("src/test/resources/journals/orders-1.4"))
 *             .assertDeterministic();
 * }
 * }</pre>
 */
public final class JournalReplayer {
    private static final String LOCK_FILE = "journal.lock";

    private final Registrations registrations;
    private SerDes serdes;
    private boolean unfinishedOnly;

    JournalReplayer(Registrations registrations, SerDes serdes) {
        this.registrations = registrations;
        this.serdes = serdes;
    }

    /** A replayer with no functions registered yet. */
    public static JournalReplayer create() {
        return new JournalReplayer(new Registrations(), null);
    }

    /** Registers a handler to replay the executions of {@code functionName} with. */
    public <I, O> JournalReplayer register(
            String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        registrations.add(functionName, inputType, outputType, handler);
        return this;
    }

    /** Registers a handler with generic input or output types. */
    public <I, O> JournalReplayer register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler) {
        registrations.add(functionName, inputType, outputType, handler);
        return this;
    }

    /** Registers a {@code @DurableFunction} instance: a generated proxy, or a plain instance under the agent. */
    public JournalReplayer register(Object durableFunction) {
        registrations.add(durableFunction);
        return this;
    }

    /** The serializer the journal was written with; default JSON. */
    public JournalReplayer serdes(SerDes serdes) {
        this.serdes = serdes;
        return this;
    }

    /**
     * Replays only executions that have not ended (running or waiting): the ones a deploy of new code resumes. Ended
     * executions are left out of the report.
     */
    public JournalReplayer unfinishedOnly() {
        this.unfinishedOnly = true;
        return this;
    }

    /**
     * Replays every execution of a journal directory (as {@code LocalRuntime} writes it). The directory is copied
     * first, so it may belong to a running process and is never changed.
     *
     * @throws IllegalArgumentException if {@code journalDirectory} is not a directory
     */
    public ReplayReport replay(Path journalDirectory) {
        if (!Files.isDirectory(journalDirectory)) {
            throw new IllegalArgumentException("no journal directory at " + journalDirectory.toAbsolutePath());
        }
        Path copy = null;
        try {
            copy = Files.createTempDirectory("durable-replay-");
            copyJournal(journalDirectory, copy);
            try (FileJournal journal =
                    FileJournal.open(copy, FileJournalOptions.defaults().automaticCompaction(false))) {
                return replay(journal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the journal in " + journalDirectory + " to replay it", e);
        } finally {
            if (copy != null) {
                DurableTestRuntime.deleteRecursively(copy);
            }
        }
    }

    private static void copyJournal(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals(LOCK_FILE)) {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** Replays every execution a journal holds; the journal is only read. */
    public ReplayReport replay(Journal journal) {
        List<JournalRecord> all = new ArrayList<>();
        for (String id : journal.executionIds()) {
            all.addAll(journal.read(id));
        }
        return replay(all);
    }

    /** Replays the executions in a list of records (records of one execution in append order). */
    public ReplayReport replay(Collection<JournalRecord> records) {
        Map<String, List<JournalRecord>> byExecution = new LinkedHashMap<>();
        for (JournalRecord r : records) {
            if (!r.type().inHistory()) {
                continue;
            }
            byExecution
                    .computeIfAbsent(r.executionId(), id -> new ArrayList<>())
                    .add(r);
        }
        return replay(byExecution);
    }

    private ReplayReport replay(Map<String, List<JournalRecord>> byExecution) {
        Map<String, ExecutionDetails> details = new LinkedHashMap<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        byExecution.forEach((name, records) -> {
            try {
                details.put(name, JournalHistory.details(name, records));
            } catch (RuntimeException e) {
                unreadable.put(name, e.getMessage());
            }
        });
        List<ExecutionReplay> out = new ArrayList<>();
        for (String name : byExecution.keySet()) {
            ExecutionDetails d = details.get(name);
            if (d != null && unfinishedOnly && d.info().status().isTerminal()) {
                continue;
            }
            if (d == null) {
                out.add(new ExecutionReplay(
                        name,
                        null,
                        ExecutionReplay.Verdict.SKIPPED,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "its records cannot be read: " + unreadable.get(name)));
            } else {
                out.add(replayOne(name, d, byExecution, details));
            }
        }
        return new ReplayReport(out);
    }

    private ExecutionReplay replayOne(
            String name,
            ExecutionDetails saved,
            Map<String, List<JournalRecord>> byExecution,
            Map<String, ExecutionDetails> details) {
        ExecutionStatus status = saved.info().status();
        boolean ended = status == ExecutionStatus.SUCCEEDED || status == ExecutionStatus.FAILED;
        List<JournalRecord> records = new ArrayList<>(byExecution.get(name));
        if (status.isTerminal()) {
            for (int i = records.size() - 1; i >= 0; i--) {
                if (records.get(i).type() == RecordType.EXECUTION_FINISHED) {
                    records.remove(i);
                    break;
                }
            }
        }
        ReplayJournal journal = new ReplayJournal(!ended);
        journal.load(records);
        List<ExecutionInfo> all =
                details.values().stream().map(ExecutionDetails::info).toList();
        for (String child : DurableTestRuntime.descendants(name, all)) {
            journal.load(byExecution.get(child));
        }
        journal.loaded();
        Instant at = lastTime(byExecution.get(name));
        try (ReplayRun run = ReplayRun.open(journal, at, registrations, serdes)) {
            String function = saved.info().function();
            if (!run.functions.contains(function)) {
                return verdict(
                        name,
                        function,
                        ExecutionReplay.Verdict.SKIPPED,
                        saved,
                        null,
                        "no function '" + function + "' is registered with the replayer (registered: " + run.functions
                                + ")");
            }
            if (!run.idle()) {
                return verdict(
                        name,
                        function,
                        ExecutionReplay.Verdict.RESULT_DIFFERS,
                        saved,
                        "still running",
                        "a handler still runs after 10 s; is a step body blocked?");
            }
            return judge(name, function, saved, run, journal, ended);
        }
    }

    private static ExecutionReplay judge(
            String name, String function, ExecutionDetails saved, ReplayRun run, ReplayJournal journal, boolean ended) {
        ExecutionDetails replay = run.describe(name);
        int operations = saved.operations().size();
        NonDeterministicExecutionException nde = run.divergence(name);
        if (nde != null) {
            OperationInfo held = saved.operations().stream()
                    .filter(op -> op.id().equals(nde.operationId()))
                    .findFirst()
                    .orElse(null);
            String journaled = held == null ? nde.expected() : held.type() + " '" + held.name() + "' " + held.status();
            String performed = nde.actual() + (nde.location() == null ? "" : " (at " + nde.location() + ")");
            return new ExecutionReplay(
                    name,
                    function,
                    ExecutionReplay.Verdict.DIVERGED,
                    nde.operationId(),
                    journaled,
                    performed,
                    RecordView.outcome(saved),
                    RecordView.outcome(replay),
                    nde.getMessage());
        }
        ExecutionStatus now = replay.info().status();
        if (!ended) {
            JournalRecord refused = journal.refused();
            if (refused != null && refused.executionId().equals(name)) {
                return verdict(
                        name,
                        function,
                        ExecutionReplay.Verdict.OK,
                        saved,
                        "stopped where the journal ends",
                        "replayed its " + operations + " journaled operations and stopped at " + RecordView.of(refused)
                                + ", which the saved journal does not hold");
            }
            if (now == ExecutionStatus.WAITING) {
                return verdict(
                        name,
                        function,
                        ExecutionReplay.Verdict.OK,
                        saved,
                        RecordView.outcome(replay),
                        "replayed its " + operations + " journaled operations; waits at " + Pending.describe(replay));
            }
            if (now == ExecutionStatus.SUCCEEDED
                    || (now == ExecutionStatus.FAILED && failedInJournal(saved, replay.error()))) {
                return verdict(
                        name,
                        function,
                        ExecutionReplay.Verdict.OK,
                        saved,
                        RecordView.outcome(replay),
                        "replayed its " + operations + " journaled operations to the end");
            }
            return verdict(
                    name,
                    function,
                    ExecutionReplay.Verdict.RESULT_DIFFERS,
                    saved,
                    RecordView.outcome(replay),
                    "the replay of the journaled operations did not reach where the journal ends");
        }
        if (now == saved.info().status()
                && (now == ExecutionStatus.SUCCEEDED
                        ? RecordView.sameJson(saved.result(), replay.result())
                        : RecordView.sameError(saved.error(), replay.error()))) {
            return verdict(
                    name,
                    function,
                    ExecutionReplay.Verdict.OK,
                    saved,
                    RecordView.outcome(replay),
                    "replayed its " + operations + " operations to the journaled " + now);
        }
        String why =
                now.isTerminal() ? "it ends differently" : "it did not end: it waits at " + Pending.describe(replay);
        return verdict(name, function, ExecutionReplay.Verdict.RESULT_DIFFERS, saved, RecordView.outcome(replay), why);
    }

    private static ExecutionReplay verdict(
            String name,
            String function,
            ExecutionReplay.Verdict verdict,
            ExecutionDetails saved,
            String actual,
            String message) {
        return new ExecutionReplay(
                name, function, verdict, null, null, null, RecordView.outcome(saved), actual, message);
    }

    private static boolean failedInJournal(ExecutionDetails saved, ErrorInfo error) {
        return saved.operations().stream()
                .anyMatch(op -> "FAILED".equals(op.status()) && RecordView.sameError(op.error(), error));
    }

    private static Instant lastTime(List<JournalRecord> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Instant at = RecordView.of(records.get(i)).at();
            if (at != null) {
                return at;
            }
        }
        return DurableTestRuntime.DEFAULT_START;
    }
}
