package dev.durable.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "compact",
        header = "Remove executions past their retention and reclaim their space.",
        description = {
            "Forgets executions that finished longer ago than the retention period, then rewrites or"
                    + " deletes the sealed segment files that held them (the application does both on its own while it"
                    + " runs). The segment being written is compacted once it fills up."
        })
final class CompactCommand extends JournalCommand {
    @Option(
            names = "--retention",
            paramLabel = "DURATION",
            defaultValue = "P14D",
            converter = DurationConverter.class,
            description = "Keep finished executions this long: ISO-8601 (P14D, PT6H) or 14d, 6h, 30m, 0s"
                    + " (default: ${DEFAULT-VALUE}, as LocalRuntime).")
    Duration retention;

    @Override
    public Integer call() {
        try (OpenJournal j = journal.open("let the application compact it: it does so on its own")) {
            Instant before = Instant.now().minus(retention);
            int forgotten = j.runtime().forgetFinished(before);
            long reclaimed = j.fileJournal().compact();
            out().println("removed " + forgotten + " execution" + (forgotten == 1 ? "" : "s") + " that finished before "
                    + Format.instantShort(before) + "; reclaimed " + reclaimed + " bytes"
                    + (reclaimed == 0 && forgotten > 0
                            ? " (their records are in the segment being written, which is"
                                    + " compacted once it fills up)"
                            : ""));
        }
        return ExitCodes.OK;
    }

    /** ISO-8601 durations, or a number with a unit: {@code 14d}, {@code 6h}, {@code 30m}, {@code 0s}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)([dhms])");
        private static final Duration LONGEST = Duration.ofDays(1_000_000);

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            Duration d;
            if (m.matches() && m.group(1).length() <= 7) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                try {
                    d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException(
                            "'" + value + "' is not a duration; write e.g. P14D, PT6H, 14d" + " or 6h");
                }
            }
            if (d.isNegative() || d.compareTo(LONGEST) > 0) {
                throw new TypeConversionException(
                        "'" + value + "' is out of range; a retention is between 0 and " + LONGEST.toDays() + " days");
            }
            return d;
        }
    }
}
