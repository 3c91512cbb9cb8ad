package dev.durable.cli;

import dev.durable.ExecutionDetails;
import dev.durable.OperationInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** How commands print times, durations, values and operations. */
final class Format {
    /** The function and, where it declares versions, the version the execution is pinned to: {@code orders v2}. */
    static String function(dev.durable.ExecutionInfo info) {
        return info.version() == 1 ? info.function() : info.function() + " v" + info.version();
    }

    private Format() {}

    /** ISO-8601 in UTC to the millisecond, or {@code -}. */
    static String instant(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** ISO-8601 in UTC to the second, for tables. */
    static String instantShort(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code 7 ms}, {@code 1.250 s}, {@code 12m 03s}, {@code 5h 02m}, {@code 3d 04h}. */
    static String duration(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format("%d.%03d s", ms / 1000, ms % 1000);
        }
        long s = d.getSeconds();
        if (s < 3_600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd %02dh", s / 86_400, s % 86_400 / 3600);
    }

    static String between(Instant from, Instant to) {
        return from == null || to == null ? "?" : duration(Duration.between(from, to));
    }

    /** A value on one line, cut to {@code max} characters. */
    static String value(String text, int max) {
        if (text == null) {
            return "null";
        }
        String line = oneLine(text);
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 3)) + "...";
    }

    /**
     * Where a BLOCKED execution's replay diverged, from its reason: {@code operation 3: the journal holds ... but the
     * code now performs ... (at ...)}, without the advice that follows.
     */
    static String divergence(String reason) {
        String s = oneLine(reason);
        int from = s.indexOf("at operation ");
        int to = s.indexOf(". Keep ");
        return "blocked at " + s.substring(from < 0 ? 0 : from + 3, to < 0 ? s.length() : to);
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /**
     * The operation an execution is at: the latest one that has not succeeded (waiting, retrying, running, or the
     * one that failed); empty when every operation succeeded.
     */
    static Optional<OperationInfo> currentOperation(ExecutionDetails e) {
        List<OperationInfo> ops = e.operations();
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (!"SUCCEEDED".equals(ops.get(i).status())) {
                return Optional.of(ops.get(i));
            }
        }
        return Optional.empty();
    }

    /** {@code 3 CALLBACK 'approval'}. */
    static String operation(OperationInfo op) {
        return op.id() + " " + op.type() + " '" + op.name() + "'";
    }
}
