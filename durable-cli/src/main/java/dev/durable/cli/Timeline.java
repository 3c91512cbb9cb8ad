package dev.durable.cli;

import dev.durable.AttemptInfo;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.OperationInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What {@code show} prints: the execution, then one row per operation with its errors and results under it. */
final class Timeline {
    private static final int VALUE_WIDTH = 100;
    private static final int NOTE_INDENT = 6;

    private final int stackLines;
    private final Instant now;

    Timeline(int stackLines, Instant now) {
        this.stackLines = stackLines;
        this.now = now;
    }

    void print(PrintWriter out, ExecutionDetails e) {
        Table head = new Table("execution", e.info().name());
        head.row("function", Format.function(e.info()));
        head.row("status", e.info().status() + statusNote(e));
        if (e.info().parent() != null) {
            head.row("parent", e.info().parent());
        }
        head.row("started", Format.instant(e.info().startedAt()));
        if (e.info().finishedAt() != null) {
            head.row(
                    "ended",
                    Format.instant(e.info().finishedAt()) + " (after "
                            + Format.between(e.info().startedAt(), e.info().finishedAt()) + ")");
        }
        head.row("input", Format.value(e.input(), VALUE_WIDTH));
        if (e.result() != null) {
            head.row("result", Format.value(e.result(), VALUE_WIDTH));
        }
        if (e.info().status() == ExecutionStatus.BLOCKED && e.error() != null) {
            head.row("blocked", Format.oneLine(e.error().message()));
        } else if (e.error() != null) {
            head.row("error", Format.oneLine(e.error().summary()));
        }
        head.print(out);
        out.println();
        if (e.operations().isEmpty()) {
            out.println("no operations yet");
            return;
        }
        Table ops = new Table("ID", "TYPE", "NAME", "STATUS", "AT", "DETAILS");
        for (OperationInfo op : e.operations()) {
            ops.row(
                    op.id(),
                    op.type(),
                    op.name(),
                    op.status(),
                    "+" + Format.between(e.info().startedAt(), op.startedAt()),
                    details(op));
            if (op.result() != null && !op.result().equals("null")) {
                ops.note(
                        NOTE_INDENT,
                        ("CALLBACK".equals(op.type()) ? "payload " : "result ")
                                + Format.value(op.result(), VALUE_WIDTH));
            }
            if (op.error() != null) {
                errorLines(op.error()).forEach(line -> ops.note(NOTE_INDENT, line));
            }
            if (op.attempts().size() > 1) {
                for (AttemptInfo a : op.attempts()) {
                    ops.note(
                            NOTE_INDENT,
                            "attempt " + a.attempt() + " " + a.status() + " at +"
                                    + Format.between(e.info().startedAt(), a.at())
                                    + (a.error() == null
                                            ? ""
                                            : ": " + Format.oneLine(a.error().summary())));
                }
            }
        }
        ops.print(out);
    }

    private static String statusNote(ExecutionDetails e) {
        ExecutionStatus s = e.info().status();
        if (s.isTerminal()) {
            return "";
        }
        return " (not finished: it resumes when the application opens the journal with function '"
                + e.info().function() + "' registered)";
    }

    /** The row's details: timing, attempts, what it waits for. */
    String details(OperationInfo op) {
        String took = Format.between(op.startedAt(), op.updatedAt());
        return switch (op.type()) {
            case "WAIT" ->
                switch (op.status()) {
                    case "SUCCEEDED" -> "waited " + took;
                    default -> "waits until " + Format.instant(op.waitUntil()) + due(op.waitUntil());
                };
            case "CALLBACK" ->
                "callback " + op.callbackId() + "; "
                        + switch (op.status()) {
                            case "SUCCEEDED" -> "completed after " + took;
                            case "FAILED" -> "failed after " + took;
                            default ->
                                "waiting"
                                        + (op.waitUntil() == null
                                                ? ", no timeout"
                                                : ", times out " + Format.instant(op.waitUntil())
                                                        + due(op.waitUntil()));
                        };
            case "INVOKE" ->
                "child execution '" + op.childExecution() + "'; "
                        + switch (op.status()) {
                            case "SUCCEEDED" -> "returned after " + took;
                            case "FAILED" -> "failed after " + took;
                            default -> "waiting for it";
                        };
            case "WAIT_FOR_CONDITION" ->
                switch (op.status()) {
                    case "SUCCEEDED" -> "condition met after " + took + ", poll " + op.attempt();
                    case "FAILED" -> "gave up after " + took + ", poll " + op.attempt();
                    default ->
                        "poll " + op.attempt() + " done; next poll at " + Format.instant(op.waitUntil())
                                + due(op.waitUntil());
                };
            default -> stepDetails(op, took);
        };
    }

    /** Steps and the operations that group others (context, parallel, map, branch). */
    private String stepDetails(OperationInfo op, String took) {
        boolean step = "STEP".equals(op.type());
        // An at-least-once step journals only its outcome: no start time to measure from.
        boolean measured = op.startedAt() != null && !op.startedAt().equals(op.updatedAt());
        String attempt = step ? "attempt " + Math.max(1, op.attempt()) + ", " : "";
        return attempt
                + switch (op.status()) {
                    case "SUCCEEDED" -> measured ? "took " + took : "succeeded";
                    case "FAILED" -> measured ? "failed after " + took : "failed";
                    case "RETRY" -> "failed; next attempt at " + Format.instant(op.waitUntil()) + due(op.waitUntil());
                    default -> step ? "started, no outcome journaled yet" : "running";
                };
    }

    private String due(Instant at) {
        if (at == null) {
            return "";
        }
        Duration left = Duration.between(now, at);
        return left.isNegative() || left.isZero() ? " (due)" : " (in " + Format.duration(left) + ")";
    }

    /** The error's summary, its first stack lines and its causes, for the lines under an operation. */
    List<String> errorLines(ErrorInfo error) {
        List<String> lines = new ArrayList<>();
        lines.add("error " + Format.oneLine(error.summary()));
        List<String> stack = error.stack() == null ? List.of() : error.stack();
        for (int i = 0; i < stack.size() && i < stackLines; i++) {
            lines.add("  at " + stack.get(i));
        }
        if (stack.size() > stackLines) {
            lines.add("  ... " + (stack.size() - stackLines) + " more (--stack-lines N, or --json for all)");
        }
        for (ErrorInfo c = error.cause(); c != null; c = c.cause()) {
            lines.add("caused by " + Format.oneLine(c.summary()));
            if (!c.stack().isEmpty() && stackLines > 0) {
                lines.add("  at " + c.stack().get(0));
            }
        }
        return lines;
    }

    /** A few words on where an operation stands, for {@code list}. */
    static String state(OperationInfo op) {
        return switch (op.status()) {
            case "FAILED" -> "failed";
            case "RETRY" ->
                "WAIT_FOR_CONDITION".equals(op.type()) ? "polling" : "retrying after attempt " + op.attempt();
            case "STARTED" ->
                switch (op.type()) {
                    case "WAIT" -> "waiting until " + Format.instantShort(op.waitUntil());
                    case "CALLBACK" -> "waiting for callback";
                    case "INVOKE" -> "waiting for '" + op.childExecution() + "'";
                    case "STEP" -> "attempt " + Math.max(1, op.attempt()) + " started";
                    default -> "running";
                };
            default -> op.status().toLowerCase(Locale.ROOT);
        };
    }
}
