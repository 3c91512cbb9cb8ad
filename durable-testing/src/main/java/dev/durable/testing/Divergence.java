package dev.durable.testing;

import dev.durable.NonDeterministicExecutionException;

/**
 * Reads back a {@link NonDeterministicExecutionException} from the message a BLOCKED execution reports (its parts
 * are in the order that exception's constructor writes them), so that reports name the operation, what the journal
 * holds, what the code did and where.
 */
final class Divergence {
    private static final String AT = "' at operation ";
    private static final String HOLDS = ": the journal holds ";
    private static final String PERFORMS = " but the code now performs ";
    private static final String ADVICE = ". Keep the order";
    private static final String LOCATION = " (at ";

    private Divergence() {}

    /** The exception {@code message} describes, or {@code null} if it is not such a message. */
    static NonDeterministicExecutionException parse(String executionName, String message) {
        String prefix = "Non-deterministic replay of execution '" + executionName + AT;
        if (message == null || !message.startsWith(prefix)) {
            return null;
        }
        int holds = message.indexOf(HOLDS, prefix.length());
        int performs = holds < 0 ? -1 : message.indexOf(PERFORMS, holds);
        int advice = performs < 0 ? -1 : message.lastIndexOf(ADVICE);
        if (holds < 0 || performs < 0 || advice < performs) {
            return null;
        }
        String operationId = message.substring(prefix.length(), holds);
        String expected = message.substring(holds + HOLDS.length(), performs);
        String actual = message.substring(performs + PERFORMS.length(), advice);
        String location = null;
        int at = actual.lastIndexOf(LOCATION);
        if (at >= 0 && actual.endsWith(")")) {
            location = actual.substring(at + LOCATION.length(), actual.length() - 1);
            actual = actual.substring(0, at);
        }
        return new NonDeterministicExecutionException(executionName, operationId, expected, actual, location);
    }
}
