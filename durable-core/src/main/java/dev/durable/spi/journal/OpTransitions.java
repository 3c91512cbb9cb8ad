package dev.durable.spi.journal;

import static dev.durable.spi.journal.OpStatus.FAILED;
import static dev.durable.spi.journal.OpStatus.HEARTBEAT;
import static dev.durable.spi.journal.OpStatus.RETRY;
import static dev.durable.spi.journal.OpStatus.STARTED;
import static dev.durable.spi.journal.OpStatus.SUCCEEDED;

import dev.durable.CallbackFailedException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The legal changes of an operation, per kind: which journaled status may follow which. The engine checks every
 * change it journals against this one table, and folding a journal ({@link OpState#apply}) checks every record
 * against it, so an illegal change is a loud error in both places, never a silent overwrite.
 *
 * <pre>
 * kind                       first record                      then
 * STEP                       STARTED SUCCEEDED FAILED RETRY    STARTED -&gt; SUCCEEDED FAILED RETRY
 *                                                              RETRY   -&gt; STARTED SUCCEEDED FAILED RETRY
 * WAIT_FOR_CONDITION         SUCCEEDED FAILED RETRY            RETRY   -&gt; SUCCEEDED FAILED RETRY
 * WAIT                       STARTED                           STARTED -&gt; SUCCEEDED
 * CALLBACK                   STARTED                           STARTED -&gt; HEARTBEAT SUCCEEDED FAILED
 *                                                              SUCCEEDED -&gt; FAILED, only when the payload did not convert
 * INVOKE                     STARTED                           STARTED -&gt; SUCCEEDED FAILED
 * CONTEXT PARALLEL MAP BRANCH STARTED SUCCEEDED FAILED         STARTED -&gt; SUCCEEDED FAILED
 * NOW PATCH                  SUCCEEDED
 * </pre>
 *
 * A heartbeat leaves the callback STARTED. An operator retry of the execution (not an operation change) forgets
 * failed operations and makes a callback whose payload did not convert STARTED again.
 */
public final class OpTransitions {
    private record Rule(OpStatus from, OpStatus to, Predicate<OpEvent> when) {}

    private static final Map<OpType, List<Rule>> RULES = new EnumMap<>(OpType.class);

    static {
        kind(OpType.STEP)
                .begin(STARTED, SUCCEEDED, FAILED, RETRY)
                .from(STARTED, SUCCEEDED, FAILED, RETRY)
                .from(RETRY, STARTED, SUCCEEDED, FAILED, RETRY);
        kind(OpType.WAIT_FOR_CONDITION).begin(SUCCEEDED, FAILED, RETRY).from(RETRY, SUCCEEDED, FAILED, RETRY);
        kind(OpType.WAIT).begin(STARTED).from(STARTED, SUCCEEDED);
        kind(OpType.CALLBACK)
                .begin(STARTED)
                .from(STARTED, HEARTBEAT, SUCCEEDED, FAILED)
                .fromOnlyIf(SUCCEEDED, FAILED, OpTransitions::payloadDidNotConvert);
        kind(OpType.INVOKE).begin(STARTED).from(STARTED, SUCCEEDED, FAILED);
        for (OpType composite : List.of(OpType.CONTEXT, OpType.PARALLEL, OpType.MAP, OpType.BRANCH)) {
            kind(composite).begin(STARTED, SUCCEEDED, FAILED).from(STARTED, SUCCEEDED, FAILED);
        }
        kind(OpType.NOW).begin(SUCCEEDED);
        kind(OpType.PATCH).begin(SUCCEEDED);
    }

    private OpTransitions() {}

    private static Kind kind(OpType type) {
        return new Kind(RULES.computeIfAbsent(type, t -> new ArrayList<>()));
    }

    private record Kind(List<Rule> rules) {
        Kind begin(OpStatus... to) {
            return from(null, to);
        }

        Kind from(OpStatus from, OpStatus... to) {
            for (OpStatus s : to) {
                rules.add(new Rule(from, s, e -> true));
            }
            return this;
        }

        Kind fromOnlyIf(OpStatus from, OpStatus to, Predicate<OpEvent> when) {
            rules.add(new Rule(from, to, when));
            return this;
        }
    }

    private static boolean payloadDidNotConvert(OpEvent e) {
        return e.error() != null
                && CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE.equals(
                        e.error().type());
    }

    /**
     * Whether {@code next} may follow an operation of kind {@code type} whose latest status is {@code from}
     * ({@code null}: nothing is journaled for it yet).
     */
    public static boolean isLegal(OpType type, OpStatus from, OpEvent next) {
        for (Rule r : RULES.get(type)) {
            if (r.from == from && r.to == next.status() && r.when.test(next)) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code next} may not follow {@code from} for an operation of kind {@code type}; {@code null} if it may. */
    public static String problem(OpType type, OpStatus from, OpEvent next) {
        if (isLegal(type, from, next)) {
            return null;
        }
        OpStatus to = next.status();
        if (from == SUCCEEDED || from == FAILED) {
            return "it changes the operation to " + to + " after it had ended as " + from;
        }
        if (to == HEARTBEAT && !reaches(type, HEARTBEAT)) {
            return "a heartbeat is only recorded for a callback";
        }
        if (to == RETRY && !reaches(type, RETRY)) {
            return "only steps and waitForCondition retry";
        }
        String legal = next(type, from).stream().map(OpStatus::name).collect(Collectors.joining(" or "));
        return from == null
                ? "an operation of kind " + type + " begins with " + legal + ", not " + to
                : "an operation of kind " + type + " that is " + from + " changes only to " + legal + ", not " + to;
    }

    /** The statuses that may follow {@code from} for kind {@code type}. */
    public static Set<OpStatus> next(OpType type, OpStatus from) {
        Set<OpStatus> next = EnumSet.noneOf(OpStatus.class);
        for (Rule r : RULES.get(type)) {
            if (r.from == from) {
                next.add(r.to);
            }
        }
        return next;
    }

    private static boolean reaches(OpType type, OpStatus status) {
        return RULES.get(type).stream().anyMatch(r -> r.to == status);
    }
}
