package dev.durable.testing;

import dev.durable.CallbackTimeoutException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.OperationInfo;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.RecordType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * {@link DurableTestRuntime#assertReplaysDeterministically(String)}: replays an ended execution from every prefix
 * of its journal, each on a fresh runtime, and compares every replay with the original run.
 */
final class ReplayCheck {
    private static final int DETAILED = 3;
    private static final int MAX_LINES = 6;
    private static final int MAX_EVENTS = 100_000;

    private final DurableTestRuntime rt;
    private final String name;
    private List<JournalRecord> records;
    private List<RecordView> views;
    private List<JournalRecord> descendants;
    private ExecutionDetails original;

    ReplayCheck(DurableTestRuntime rt, String name) {
        this.rt = rt;
        this.name = name;
    }

    /** A crash point whose replay differs from the original run. */
    private record Divergence(int prefix, List<String> problems, List<RecordView> journaled) {}

    void run() {
        rt.execution(name);
        records = rt.records(name);
        views = records.stream().map(RecordView::of).toList();
        original = JournalHistory.details(name, records);
        ExecutionStatus status = rt.describe(name).info().status();
        if (status != ExecutionStatus.SUCCEEDED && status != ExecutionStatus.FAILED) {
            throw new AssertionFailedError("execution '" + name + "' is " + status + "; assertReplaysDeterministically"
                    + " checks an execution that ended by itself (SUCCEEDED or FAILED). "
                    + (status.isTerminal()
                            ? "A cancelled execution ends from outside, so replays cannot reach its end."
                            : "Drive it to its end first: run(), complete its callbacks (it waits at "
                                    + Pending.describe(original) + ")."));
        }
        descendants = new ArrayList<>();
        for (String child : DurableTestRuntime.descendants(name, rt.list())) {
            descendants.addAll(rt.records(child));
        }
        // After an operator retry, the run before it ended in a failure on purpose; replays start after the retry.
        int first = 1;
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).record.type() == RecordType.EXECUTION_RETRIED) {
                first = i + 2;
            }
        }
        int points = 0;
        List<Divergence> found = new ArrayList<>();
        for (int k = first; k < records.size(); k++) {
            RecordView last = views.get(k - 1);
            // A crash inside an at-most-once attempt legitimately changes the outcome (the attempt is not rerun).
            if (last.record.type() == RecordType.EXECUTION_FINISHED || last.isStepAttemptStart()) {
                continue;
            }
            points++;
            Divergence d = replayFrom(k);
            if (d != null) {
                found.add(d);
            }
        }
        if (!found.isEmpty()) {
            throw new AssertionFailedError(message(points, found));
        }
    }

    // ---- one replay ---------------------------------------------------------------------------------------------

    private Divergence replayFrom(int k) {
        MemoryJournal copy = new MemoryJournal();
        records.subList(0, k).forEach(copy::append);
        descendants.forEach(copy::append);
        try (ReplayRun run = ReplayRun.open(copy, timeAt(k), rt.registrations(), rt.serdes())) {
            List<String> problems = new ArrayList<>();
            String stuck = drive(run, copy, k);
            ExecutionDetails before = JournalHistory.details(name, records.subList(0, k));
            ExecutionDetails replay = run.describe(name);
            List<JournalRecord> all = copy.read(name);
            List<RecordView> added =
                    all.subList(k, all.size()).stream().map(RecordView::of).toList();
            NonDeterministicExecutionException nde = run.divergence(name);
            if (nde != null) {
                problems.add(
                        "the replay is BLOCKED by NonDeterministicExecutionException at operation " + nde.operationId()
                                + ": the journal holds " + nde.expected() + " but the code performed " + nde.actual()
                                + (nde.location() == null ? "" : " (at " + nde.location() + ")"));
            }
            problems.addAll(journaledAgain(before, added));
            problems.addAll(operationDifferences(replay, nde));
            if (stuck != null) {
                problems.add("the replay did not end: " + stuck);
            } else if (nde == null) {
                String outcome = outcomeDifference(replay);
                if (outcome != null) {
                    problems.add(outcome);
                }
            }
            return problems.isEmpty() ? null : new Divergence(k, problems, added);
        }
    }

    /** The time of the last record in the prefix: the replay's clock starts where the original run had got to. */
    private Instant timeAt(int k) {
        for (int i = k - 1; i >= 0; i--) {
            Instant at = views.get(i).at();
            if (at != null) {
                return at;
            }
        }
        return DurableTestRuntime.DEFAULT_START;
    }

    /** Something the outside world did in the original run: completed, failed or heartbeat a callback. */
    private record OutsideEvent(int index, Instant at, String status, String result, ErrorInfo error) {}

    /**
     * Drives the replay as the original run went: timers fire when due (a wait no earlier than the original run
     * finished it), and callbacks get the heartbeats and outcome the outside world gave them in the original run,
     * at the same times. Returns why it stopped short of the end, or {@code null}.
     */
    private String drive(ReplayRun run, MemoryJournal copy, int k) {
        Map<String, ArrayDeque<OutsideEvent>> outside = outsideEvents(k);
        int lastSize = -1;
        for (int i = 0; i < MAX_EVENTS; i++) {
            if (!run.idle()) {
                return "a handler still runs after 10 s (is a step body blocked?)";
            }
            ExecutionDetails d = run.describe(name);
            ExecutionStatus status = d.info().status();
            if (status.isTerminal() || status == ExecutionStatus.BLOCKED) {
                return null; // a replay that diverged is reported as such
            }
            if (status == ExecutionStatus.RUNNING) {
                return "it is RUNNING but no handler runs it (is function '"
                        + d.info().function() + "' registered?)";
            }
            Instant next = null;
            Runnable action = null;
            int order = Integer.MAX_VALUE;
            for (OperationInfo op : d.operations()) {
                Instant at;
                Runnable act = null;
                int index = Integer.MAX_VALUE;
                if (Pending.isCallback(op)) {
                    ArrayDeque<OutsideEvent> events = outside.get(op.id());
                    OutsideEvent e = events == null ? null : events.peek();
                    OperationInfo orig = originalOp(op.id());
                    if (e != null) {
                        at = e.at();
                        index = e.index();
                        act = () -> {
                            events.poll();
                            deliver(run, op.callbackId(), e);
                        };
                    } else if (orig != null
                            && orig.isDone()
                            && orig.error() != null
                            && CallbackTimeoutException.class
                                    .getName()
                                    .equals(orig.error().type())) {
                        at = later(orig.updatedAt(), op.waitUntil());
                    } else {
                        continue;
                    }
                } else if (Pending.isTimer(op)) {
                    at = op.waitUntil();
                    OperationInfo orig = originalOp(op.id());
                    if ("WAIT".equals(op.type()) && orig != null && orig.isDone()) {
                        at = later(at, orig.updatedAt());
                    }
                } else {
                    continue;
                }
                if (next == null || at.isBefore(next) || (at.equals(next) && index < order)) {
                    next = at;
                    action = act;
                    order = index;
                }
            }
            if (next == null) {
                return "it waits at " + Pending.describe(d) + ", and the original run has no outcome to give it";
            }
            int size = copy.read(name).size();
            if (action == null && !next.isAfter(run.clock.now()) && size == lastSize) {
                return "it waits at " + Pending.describe(d) + ", due at " + next + ", but did not resume";
            }
            lastSize = size;
            run.clock.advanceTo(next);
            if (action != null) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    return "the outcome the original run gave a callback could not be delivered: " + e.getMessage();
                }
            }
        }
        return "it did not end after " + MAX_EVENTS + " timers and callbacks";
    }

    private static void deliver(ReplayRun run, String callbackId, OutsideEvent e) {
        switch (e.status()) {
            case "HEARTBEAT" -> run.runtime.heartbeatCallback(callbackId);
            case "SUCCEEDED" -> run.runtime.completeCallbackJson(callbackId, e.result());
            default ->
                run.runtime.failCallback(callbackId, e.error().type(), e.error().message());
        }
    }

    /** The callback heartbeats and outcomes that came from outside after the crash point, per operation id. */
    private Map<String, ArrayDeque<OutsideEvent>> outsideEvents(int k) {
        Map<String, ArrayDeque<OutsideEvent>> events = new HashMap<>();
        for (int i = k; i < views.size(); i++) {
            RecordView v = views.get(i);
            if (!v.isOperation() || !"CALLBACK".equals(v.operationType())) {
                continue;
            }
            String status = v.status();
            OperationInfo orig = originalOp(v.record.operationId());
            boolean outcome = "SUCCEEDED".equals(status)
                    || ("FAILED".equals(status)
                            && orig != null
                            && orig.error() != null
                            && !CallbackTimeoutException.class
                                    .getName()
                                    .equals(orig.error().type()));
            if ("HEARTBEAT".equals(status) || outcome) {
                events.computeIfAbsent(v.record.operationId(), id -> new ArrayDeque<>())
                        .add(new OutsideEvent(
                                i,
                                v.at(),
                                status,
                                orig == null ? null : orig.result(),
                                orig == null ? null : orig.error()));
            }
        }
        return events;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private OperationInfo originalOp(String id) {
        for (OperationInfo op : original.operations()) {
            if (op.id().equals(id)) {
                return op;
            }
        }
        return null;
    }

    // ---- comparisons ----------------------------------------------------------------------------------------------

    /** Operations that had their outcome before the crash must never be journaled again: their bodies ran once. */
    private List<String> journaledAgain(ExecutionDetails before, List<RecordView> added) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> successes = new HashMap<>();
        for (RecordView v : added) {
            if (!v.isOperation()) {
                continue;
            }
            String id = v.record.operationId();
            before.operation(id)
                    .filter(op -> op.id().equals(id) && op.isDone())
                    .ifPresent(op -> problems.add("operation " + id + " " + op.type() + " '" + op.name() + "' had "
                            + op.status() + " before the crash," + " yet the replay journaled it again (" + v
                            + "): its body ran a second time"));
            if ("SUCCEEDED".equals(v.status()) && successes.merge(id, 1, Integer::sum) == 2) {
                problems.add("the replay journaled operation " + id + " as SUCCEEDED twice: its body ran twice");
            }
        }
        return problems;
    }

    /** The same operations at the same ids, with the same final status. */
    private List<String> operationDifferences(ExecutionDetails replay, NonDeterministicExecutionException nde) {
        Map<String, OperationInfo> replayed = new LinkedHashMap<>();
        replay.operations().forEach(op -> replayed.put(op.id(), op));
        List<String> lines = new ArrayList<>();
        for (OperationInfo o : original.operations()) {
            OperationInfo r = replayed.remove(o.id());
            if (nde != null) {
                continue; // reported above; what follows it is its consequence
            }
            if (r == null) {
                lines.add("the original run performed operation " + o.id() + " " + o.type() + " '" + o.name() + "' ("
                        + o.status() + "); the replay did not reach it");
            } else if (!o.type().equals(r.type()) || !o.name().equals(r.name())) {
                lines.add("operation " + o.id() + ": the original run performed " + o.type() + " '" + o.name()
                        + "', the replay " + r.type() + " '" + r.name() + "'");
            } else if (o.isDone() && r.isDone() && !o.status().equals(r.status())) {
                lines.add("operation " + o.id() + " " + o.type() + " '" + o.name() + "': the original run "
                        + RecordView.outcome(o.status(), o.result(), o.error()) + ", the replay "
                        + RecordView.outcome(r.status(), r.result(), r.error()));
            }
        }
        if (nde == null) {
            for (OperationInfo r : replayed.values()) {
                lines.add("the replay performed operation " + r.id() + " " + r.type() + " '" + r.name() + "' ("
                        + r.status() + "), which the original run does not have");
            }
        }
        if (lines.size() > MAX_LINES) {
            int more = lines.size() - MAX_LINES;
            lines = new ArrayList<>(lines.subList(0, MAX_LINES));
            lines.add("... and " + more + " more operation differences");
        }
        return lines;
    }

    private String outcomeDifference(ExecutionDetails replay) {
        ExecutionStatus o = original.info().status();
        ExecutionStatus r = replay.info().status();
        if (o == r && o == ExecutionStatus.SUCCEEDED && RecordView.sameJson(original.result(), replay.result())) {
            return null;
        }
        if (o == r && o == ExecutionStatus.FAILED && RecordView.sameError(original.error(), replay.error())) {
            return null;
        }
        return "outcome: the original run " + RecordView.outcome(original) + ", the replay "
                + RecordView.outcome(replay);
    }

    // ---- the message ----------------------------------------------------------------------------------------------

    private String message(int points, List<Divergence> found) {
        StringBuilder b = new StringBuilder();
        b.append("Execution '")
                .append(name)
                .append("' (function '")
                .append(original.info().function())
                .append("') does not replay deterministically: ")
                .append(found.size())
                .append(" of ")
                .append(points)
                .append(" crash points lead to a different run.\n");
        for (Divergence d : found.subList(0, Math.min(DETAILED, found.size()))) {
            b.append("\nCrash after record ")
                    .append(d.prefix())
                    .append(" of ")
                    .append(records.size())
                    .append(" [")
                    .append(views.get(d.prefix() - 1))
                    .append("], then a restart over that journal:\n");
            d.problems().forEach(p -> b.append("  - ").append(p).append('\n'));
            b.append("  records the replay journaled:")
                    .append(d.journaled().isEmpty() ? " none" : "")
                    .append('\n');
            d.journaled().forEach(v -> b.append("      ").append(v).append('\n'));
        }
        if (found.size() > DETAILED) {
            b.append("\nAlso different: crashes after records ")
                    .append(found.subList(DETAILED, found.size()).stream()
                            .map(d -> Integer.toString(d.prefix()))
                            .collect(Collectors.joining(", ")))
                    .append(".\n");
        }
        b.append("\nThe original journal:\n");
        for (int i = 0; i < views.size(); i++) {
            b.append(String.format("  %3d  %s%n", i + 1, views.get(i)));
        }
        b.append("\nKeep the handler's operations (their order, types and names) a function of its input and of what"
                + " durable operations returned: read the time, randomness, I/O and mutable state only inside steps or"
                + " through ctx.now(), ctx.random() and ctx.uuid().");
        return b.toString();
    }
}
