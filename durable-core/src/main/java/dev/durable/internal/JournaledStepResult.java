package dev.durable.internal;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.durable.IncompatibleStepResultException;
import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.spi.journal.OpState;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.stream.Collectors;

/**
 * A step's journaled result read back as the code's current result type: as it is when it was journaled at the
 * step's current result version, through the migration from its version when older. What does not read holds the
 * execution blocked ({@link IncompatibleStepResultException}) until code that reads it is deployed.
 */
final class JournaledStepResult {
    private final Op op;
    private final OpState journaled;
    private final Type type;
    private final StepConfig config;
    private final SerDes serdes;

    private JournaledStepResult(Op op, OpState journaled, Type type, StepConfig config, SerDes serdes) {
        this.op = op;
        this.journaled = journaled;
        this.type = type;
        this.config = config;
        this.serdes = serdes;
    }

    /** The value of the step's journaled result as the code now declares it. */
    static Object read(Op op, OpState journaled, Type type, StepConfig config, SerDes serdes) {
        return new JournaledStepResult(op, journaled, type, config, serdes).read();
    }

    private Object read() {
        int version = journaled.resultVersion;
        int current = config.resultVersion();
        if (version == current) {
            try {
                return serdes.deserialize(journaled.result, type);
            } catch (RuntimeException e) {
                throw incompatible(
                        "it does not read as " + type.getTypeName() + ": " + problem(e)
                                + ". The result type changed in a way journaled values do not convert to: "
                                + newVersionFix(version)
                                + ", or deploy the old result type again",
                        e);
            }
        }
        if (version > current) {
            throw incompatible(
                    "that is newer than the code's result version " + current + ": code older than the code that"
                            + " journaled it is deployed. Deploy code whose step '" + op.name + "' has result"
                            + " version " + version + " or higher (with migrations from older versions)",
                    null);
        }
        StepConfig.Migration migration = config.migrations().get(version);
        if (migration == null) {
            String known = config.migrations().isEmpty()
                    ? "none"
                    : config.migrations().keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
            throw incompatible(
                    "the code's result version is " + current + " and it has no migration from version " + version
                            + " (it has migrations from: " + known + "). Add one: " + migrationFix(version, current),
                    null);
        }
        Object old;
        try {
            old = serdes.deserialize(journaled.result, migration.oldType());
        } catch (RuntimeException e) {
            throw incompatible(
                    "it does not read as " + migration.oldType().getTypeName() + ", the type the migration from"
                            + " version " + version + " takes: " + problem(e) + ". Make that type match what"
                            + " version " + version + " of the step returned (JsonNode reads any JSON)",
                    e);
        }
        Object migrated;
        try {
            migrated = migration.migrate(old);
        } catch (Exception e) { // a checked exception, too, when a migration method throws one
            throw incompatible(
                    "the migration from version " + version + " threw " + e + ". Fix the migration; it runs on"
                            + " every replay of such a result",
                    e);
        }
        Class<?> raw = raw(type);
        if (migrated != null && raw != null && !raw.isInstance(migrated)) {
            throw incompatible(
                    "the migration from version " + version + " returned a "
                            + migrated.getClass().getName() + ", not a " + type.getTypeName()
                            + ". Return the step's current result type",
                    null);
        }
        return migrated;
    }

    /**
     * The message names, in this order, the execution, the step, what the code reads it as, the operation and call
     * site, the journaled version and value, then the problem and what to do; the test kit reads the parts back.
     */
    private IncompatibleStepResultException incompatible(String problem, Throwable cause) {
        String execution = op.inv.executionName();
        String location = CallSite.find();
        String held = "the result of STEP '" + op.name + "' at result version " + journaled.resultVersion;
        String expected = "a " + type.getTypeName() + " at result version " + config.resultVersion();
        String message = "Replay of execution '" + execution + "' cannot read the journaled result of step '"
                + op.name + "' as " + expected + " (operation " + op.id + (location == null ? "" : ", at " + location)
                + "): it was journaled at result version " + journaled.resultVersion + " as "
                + abbreviated(journaled.result) + ", and " + problem + ". The execution is held BLOCKED, its"
                + " journal unchanged, and replays again once such code is deployed.";
        return op.inv.diverged(
                new IncompatibleStepResultException(message, execution, op.id, held, expected, location, cause));
    }

    private String newVersionFix(int version) {
        return "give the new shape the next result version, with a migration from version " + version
                + " (@Step(value = \"" + op.name + "\", resultVersion = " + (version + 1) + ") and "
                + migrationFix(version, version + 1) + ")";
    }

    private String migrationFix(int version, int target) {
        return "a static method @StepMigration(step = \"" + op.name + "\", from = " + version + ") taking the"
                + " version-" + version + " type (or JsonNode) and returning the current one, or"
                + " StepConfig.builder().resultVersion(" + target + ").migrateFrom(" + version
                + ", OldType.class, old -> ...)";
    }

    /** What the serializer found wrong, without the parser's location (which only repeats the payload). */
    private static String problem(RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof JsonMappingException j) {
            String path = j.getPath().isEmpty() ? "" : " (at " + j.getPathReference() + ")";
            return j.getOriginalMessage() + path;
        }
        return String.valueOf(cause.getMessage());
    }

    private static String abbreviated(String json) {
        return json == null ? "null" : json.length() > 200 ? json.substring(0, 197) + "..." : json;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        return t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
    }
}
