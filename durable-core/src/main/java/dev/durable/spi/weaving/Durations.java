package dev.durable.spi.weaving;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** ISO-8601 durations as written in annotations ({@code "PT24H"}, {@code "P7D"}). */
final class Durations {
    /** Waits and callback timeouts are bounded, as in AWS Lambda durable functions. */
    private Durations() {}

    /** Parses {@code text}, naming {@code where} in the error; empty text gives {@code null}. */
    static Duration parse(String text, String where) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    where + ": '" + text + "' is not an ISO-8601 duration; write e.g."
                            + " \"PT30S\", \"PT24H\" or \"P7D\"",
                    e);
        }
    }
}
