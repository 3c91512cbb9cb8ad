package dev.durable.testing;

import dev.durable.IncompatibleStepResultException;
import dev.durable.NonDeterministicExecutionException;

/**
 * Reads back a {@link NonDeterministicExecutionException} from the message a BLOCKED execution reports (its parts
 * are in the order that exception's constructor writes them, or the engine writes an
 * {@link IncompatibleStepResultException}'s), so that reports name the operation, what the journal holds, what the
 * code did and where.
 */
final class Divergence {
    private static final String AT = "' at operation ";
    private static final String HOLDS = ": the journal holds ";
    private static final String PERFORMS = " but the code now performs ";
    private static final String ADVICE = ". Keep the order";
    private static final String LOCATION = " (at ";
    private static final String STEP_AS = "' as ";
    private static final String OPERATION = " (operation ";
    private static final String JOURNALED_AT = "): it was journaled at result version ";

    private Divergence() {}

    /** The exception {@code message} describes, or {@code null} if it is not such a message. */
    static NonDeterministicExecutionException parse(String executionName, String message) {
        String prefix = "Non-deterministic replay of execution '" + executionName + AT;
        if (message == null) {
            return null;
        }
        if (!message.startsWith(prefix)) {
            return unreadableResult(executionName, message);
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

    /**
     * An {@link IncompatibleStepResultException}'s message: {@code Replay of execution 'E' cannot read the journaled
     * result of step 'S' as A (operation ID[, at LOCATION]): it was journaled at result version V as ...}.
     */
    private static IncompatibleStepResultException unreadableResult(String executionName, String message) {
        String prefix = "Replay of execution '" + executionName + "' cannot read the journaled result of step '";
        int as = message.indexOf(STEP_AS, prefix.length());
        int operation = as < 0 ? -1 : message.indexOf(OPERATION, as);
        int journaled = operation < 0 ? -1 : message.indexOf(JOURNALED_AT, operation);
        int value = journaled < 0 ? -1 : message.indexOf(' ', journaled + JOURNALED_AT.length());
        if (!message.startsWith(prefix) || value < 0) {
            return null;
        }
        String step = message.substring(prefix.length(), as);
        String actual = message.substring(as + STEP_AS.length(), operation);
        String where = message.substring(operation + OPERATION.length(), journaled);
        int at = where.indexOf(", at ");
        String operationId = at < 0 ? where : where.substring(0, at);
        String location = at < 0 ? null : where.substring(at + ", at ".length());
        String version = message.substring(journaled + JOURNALED_AT.length(), value);
        return new IncompatibleStepResultException(
                message,
                executionName,
                operationId,
                "the result of STEP '" + step + "' at result version " + version,
                actual,
                location,
                null);
    }
}
