package dev.durable.runtime.postgres;

import dev.durable.JournalException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables the workers of one application share, in a schema of their own, and their migrations.
 *
 * <p>{@link #migrate} brings a schema to the newest version this library knows, creating it when missing. Every
 * worker calls it at start: the first one migrates, the others wait for it and find nothing left to do. A worker
 * whose library is older than the schema refuses to start rather than write rows it does not understand.
 *
 * <pre>{@code
 * int version = Schema.migrate(dataSource, Schema.DEFAULT_SCHEMA);
 * }</pre>
 */
public final class Schema {
    /** The schema the tables live in unless the application names another. */
    public static final String DEFAULT_SCHEMA = "durable";

    /** What a schema name must match: an unquoted lower-case PostgreSQL identifier of at most 63 bytes. */
    static final String NAME_RULE = "[a-z_][a-z0-9_]{0,62}";

    private static final Pattern NAME = Pattern.compile(NAME_RULE);

    /** The table that records which migrations a schema has had. */
    static final String VERSION_TABLE = "durable_schema_version";

    /** Every migration, in order: version n is the n-th, read from {@code migration/V<n>__<description>.sql}. */
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "tables"));

    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    private Schema() {}

    /** The newest version this library can migrate a schema to, and the newest it can work with. */
    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Brings {@code schema} to {@link #latestVersion()}: creates the schema and its version table when missing, then
     * applies each migration it lacks, each in one transaction with the row that records it. Safe to call from many
     * workers at once: each transaction first takes a transaction-scoped advisory lock derived from the schema's
     * name, so one worker migrates while the others wait, then find the schema up to date.
     *
     * @param ds the database
     * @param schema the schema's name, matching {@code [a-z_][a-z0-9_]{0,62}}
     * @return the version the schema is at, {@link #latestVersion()}
     * @throws IllegalArgumentException when the name does not match the rule
     * @throws IllegalStateException when the schema is at a newer version than this library knows: a newer worker
     *     migrated it, and this one must be upgraded before it may work on it
     * @throws java.io.UncheckedIOException when a migration cannot be read from the class path
     * @throws JournalException wrapping the {@link SQLException} when the database cannot be reached or refuses
     */
    public static int migrate(DataSource ds, String schema) {
        Objects.requireNonNull(ds, "ds");
        String quoted = quote(schema);
        long lockKey = lockKey(schema);
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            int reached;
            try {
                // read committed: once the lock is ours, each statement sees what the worker that held it committed
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(false);
                do {
                    reached = step(c, schema, quoted, lockKey);
                } while (reached < 0);
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                    c.setAutoCommit(autoCommit);
                    c.setTransactionIsolation(isolation);
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(isolation);
            return reached;
        } catch (SQLException e) {
            throw new JournalException("migrating schema '" + schema + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * One transaction under the lock: applies the next migration and returns -1, or returns the version reached
     * when there is none left.
     */
    private static int step(Connection c, String schema, String quoted, long lockKey) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey);
            lock.execute();
        }
        ensureSchema(c, schema, quoted);
        int current = currentVersion(c, quoted);
        if (current > latestVersion()) {
            throw new IllegalStateException("schema '" + schema + "' is at version " + current
                    + ", this durable-runtime-postgres knows versions up to " + latestVersion()
                    + ": upgrade the library on this worker");
        }
        if (current == latestVersion()) {
            c.commit();
            return current;
        }
        Migration next = MIGRATIONS.get(current);
        try (Statement st = c.createStatement()) {
            st.execute(next.sql(quoted));
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + quoted + "." + VERSION_TABLE + " (version, description) VALUES (?, ?)")) {
            insert.setInt(1, next.version());
            insert.setString(2, next.description());
            insert.executeUpdate();
        }
        c.commit();
        log.info("schema '{}' migrated to version {} ({})", schema, next.version(), next.description());
        return -1;
    }

    /** Creates the schema and its version table when missing; a schema someone else created is only used. */
    private static void ensureSchema(Connection c, String schema, String quoted) throws SQLException {
        boolean exists;
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement st = c.createStatement()) {
            if (!exists) {
                // not IF NOT EXISTS alone: that needs the right to create schemas even when the schema is there
                st.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + quoted + "." + VERSION_TABLE + " ("
                    + "version integer PRIMARY KEY, "
                    + "description text NOT NULL, "
                    + "applied_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    private static int currentVersion(Connection c, String quoted) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT coalesce(max(version), 0) FROM " + quoted + "." + VERSION_TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The schema's name as a quoted identifier, after checking it against {@link #NAME_RULE}.
     *
     * @throws IllegalArgumentException when it does not match
     */
    static String quote(String schema) {
        if (schema == null || !NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("invalid schema name " + (schema == null ? "null" : "'" + schema + "'")
                    + ": a schema name must match " + NAME_RULE
                    + " (a lower-case letter or _, then up to 62 lower-case letters, digits or _)");
        }
        if (schema.startsWith("pg_")) {
            throw new IllegalArgumentException(
                    "invalid schema name '" + schema + "': names starting with pg_ are reserved by PostgreSQL");
        }
        return '"' + schema + '"';
    }

    /**
     * The advisory lock key of a schema's migrations: the first 8 bytes of a SHA-256 of the name, so the same in
     * every worker and every version of the library, and distinct for distinct schemas.
     */
    static long lockKey(String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("dev.durable.runtime.postgres.Schema:" + schema).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Version {@code version} of the schema, read from {@code migration/V<version>__<description>.sql}. */
    private record Migration(int version, String description) {
        String resource() {
            return "migration/V" + version + "__" + description + ".sql";
        }

        /** The migration's statements, {@code ${schema}} replaced by the schema's quoted name. */
        String sql(String quotedSchema) {
            try (InputStream in = Schema.class.getResourceAsStream(resource())) {
                if (in == null) {
                    throw new IllegalStateException("migration " + resource() + " is missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${schema}", quotedSchema);
            } catch (IOException e) {
                throw new UncheckedIOException("reading migration " + resource() + " failed", e);
            }
        }
    }
}
