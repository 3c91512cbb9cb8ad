package dev.durable.runtime.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(PostgresExtension.class)
class SchemaTest {
    private final TestPostgres pg;
    private final DataSource ds;

    SchemaTest(TestPostgres pg) {
        this.pg = pg;
        this.ds = pg.dataSource();
    }

    @Test
    void migratingAFreshSchemaCreatesEveryTableAndRecordsVersion1() throws SQLException {
        String schema = pg.freshSchema();

        int version = Schema.migrate(ds, schema);

        assertThat(version).isEqualTo(1).isEqualTo(Schema.latestVersion());
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .containsExactlyInAnyOrder("executions", "records", "callbacks", "workers", "durable_schema_version");
        assertThat(strings("SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "'"))
                .contains("executions_due", "executions_leased", "executions_parent", "callbacks_execution");
        assertThat(strings("SELECT version || ' ' || description FROM " + schema + ".durable_schema_version"))
                .containsExactly("1 tables");
    }

    @Test
    void theTablesTakeAnExecutionWithItsDefaults() throws SQLException {
        String schema = pg.freshSchema();
        Schema.migrate(ds, schema);

        update("INSERT INTO " + schema + ".executions (name, function, version, status, started_at)"
                + " VALUES ('order-1', 'orders', 1, 'READY', now())");
        update("INSERT INTO " + schema + ".records VALUES ('order-1', 1, 3, 'op-1', '\\x01'::bytea)");

        assertThat(strings("SELECT epoch || ' ' || last_seq || ' ' || changes || ' ' || cancel_requested || ' '"
                        + " || priority FROM " + schema + ".executions"))
                .containsExactly("0 0 0 false 0");
        assertThatThrownBy(() ->
                        update("INSERT INTO " + schema + ".records VALUES ('order-1', 1, 3, 'op-2', '\\x02'::bytea)"))
                .as("a second record with the same seq")
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("duplicate key");
    }

    @Test
    void migratingAgainChangesNothingAndReturns1() throws SQLException {
        String schema = pg.freshSchema();
        Schema.migrate(ds, schema);
        List<String> before = strings("SELECT version || ' ' || applied_at FROM " + schema + ".durable_schema_version");

        assertThat(Schema.migrate(ds, schema)).isEqualTo(1);
        assertThat(Schema.migrate(ds, schema)).isEqualTo(1);

        assertThat(strings("SELECT version || ' ' || applied_at FROM " + schema + ".durable_schema_version"))
                .isEqualTo(before);
    }

    @Test
    void fourWorkersMigratingTheSameFreshSchemaAtOnceAllSucceedAndEachVersionIsAppliedOnce() throws Exception {
        String schema = pg.freshSchema();

        migrateAtOnce(ds, schema, 4);

        assertThat(strings("SELECT version::text FROM " + schema + ".durable_schema_version ORDER BY version"))
                .containsExactly("1");
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .hasSize(5);
    }

    @Test
    void workersWhosePoolsUseSerializableTransactionsMigrateAtOnceToo() throws Exception {
        String schema = pg.freshSchema();
        HikariConfig config = pg.poolConfig();
        config.setMaximumPoolSize(4);
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        try (HikariDataSource serializable = new HikariDataSource(config)) {
            migrateAtOnce(serializable, schema, 4);

            try (Connection c = serializable.getConnection()) {
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            }
        }
        assertThat(strings("SELECT version::text FROM " + schema + ".durable_schema_version ORDER BY version"))
                .containsExactly("1");
    }

    /** Starts {@code workers} migrations of the schema at the same moment; each must reach the latest version. */
    private static void migrateAtOnce(DataSource ds, String schema, int workers) throws Exception {
        CyclicBarrier together = new CyclicBarrier(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                results.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return Schema.migrate(ds, schema);
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(Schema.latestVersion());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDatabaseANewerLibraryMigratedIsRefusedNamingBothVersions() throws SQLException {
        String schema = pg.freshSchema();
        Schema.migrate(ds, schema);
        update("INSERT INTO " + schema + ".durable_schema_version (version, description) VALUES (99, 'future')");

        assertThatThrownBy(() -> Schema.migrate(ds, schema))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("schema '" + schema + "' is at version 99, this durable-runtime-postgres knows versions"
                        + " up to " + Schema.latestVersion() + ": upgrade the library on this worker");
        assertThat(strings("SELECT count(*)::text FROM " + schema + ".durable_schema_version"))
                .containsExactly("2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Orders;drop",
                "",
                "a123456789b123456789c123456789d123456789e123456789f123456789abcd",
                "1orders",
                "orders-eu",
                "\"durable\""
            })
    void aBadSchemaNameIsRefusedNamingTheRule(String name) throws SQLException {
        assertThatThrownBy(() -> Schema.migrate(ds, name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("[a-z_][a-z0-9_]{0,62}");
        assertThat(strings("SELECT nspname FROM pg_namespace WHERE lower(nspname) LIKE '%orders%'"))
                .isEmpty();
    }

    @Test
    void aNullOrReservedSchemaNameIsRefused() {
        assertThatThrownBy(() -> Schema.migrate(ds, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Schema.migrate(ds, "pg_durable"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'pg_durable'")
                .hasMessageContaining("reserved");
    }

    @Test
    void theLongestNameTheRuleAllowsWorks() throws SQLException {
        String name = "z" + "_".repeat(40) + (pg.freshSchema() + "_".repeat(62)).substring(0, 22);
        assertThat(name).hasSize(63);

        assertThat(Schema.migrate(ds, name)).isEqualTo(1);
        assertThat(strings("SELECT nspname FROM pg_namespace WHERE nspname = '" + name + "'"))
                .containsExactly(name);
    }

    @Test
    void twoSchemasAreIndependent() throws SQLException {
        String a = pg.freshSchema();
        String b = pg.freshSchema();
        Schema.migrate(ds, a);
        Schema.migrate(ds, b);

        update("INSERT INTO " + a + ".workers (id, started_at, heartbeat_at) VALUES ('w1', now(), now())");
        update("INSERT INTO " + a + ".durable_schema_version (version, description) VALUES (99, 'future')");

        assertThat(strings("SELECT id FROM " + b + ".workers")).isEmpty();
        assertThat(Schema.migrate(ds, b)).isEqualTo(1);
        assertThatThrownBy(() -> Schema.migrate(ds, a)).isInstanceOf(IllegalStateException.class);
        assertThat(Schema.lockKey(a)).isNotEqualTo(Schema.lockKey(b));
    }

    @Test
    void aSchemaCreatedBeforehandIsUsedAsItIs() throws SQLException {
        String schema = pg.freshSchema();
        update("CREATE SCHEMA " + schema);
        update("CREATE TABLE " + schema + ".unrelated (x int)");

        assertThat(Schema.migrate(ds, schema)).isEqualTo(1);
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .contains("unrelated", "executions");
    }

    private List<String> strings(String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
