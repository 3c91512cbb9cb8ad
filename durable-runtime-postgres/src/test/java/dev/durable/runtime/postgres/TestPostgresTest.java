package dev.durable.runtime.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class TestPostgresTest {
    private final TestPostgres pg;

    TestPostgresTest(TestPostgres pg) {
        this.pg = pg;
    }

    @Test
    void theServerAcceptsConnectionsAndDoesNotRunAsRoot() throws Exception {
        assertThat(query(pg.connect(), "SELECT pg_postmaster_start_time()::text"))
                .singleElement()
                .isNotNull();
        if (pg.isLocal()) {
            assertThat(query(pg.connect(), "SELECT current_user")).containsExactly(TestPostgres.USER);
            assertThat(query(pg.connect(), "SELECT current_setting('max_connections')"))
                    .containsExactly("200");
        }

        String owner = run("ps", "-o", "user=", "-p", Long.toString(pg.serverPid()));
        assertThat(owner).as("the OS user of the server process").isNotBlank().isNotEqualTo("root");
        if (run("id", "-u").equals("0")) {
            assertThat(owner).isEqualTo(TestPostgres.OS_USER);
        }
    }

    @Test
    void theDataSourceIsAPoolOnTheSameServer() throws SQLException {
        try (Connection a = pg.dataSource().getConnection();
                Connection b = pg.dataSource().getConnection()) {
            assertThat(query(a, "SELECT pg_backend_pid()::text", false))
                    .isNotEqualTo(query(b, "SELECT pg_backend_pid()::text", false));
            assertThat(query(a, "SELECT inet_server_port()::text", false))
                    .isEqualTo(query(pg.connect(), "SELECT inet_server_port()::text"));
        }
    }

    @Test
    void freshSchemasAreDistinctAndNotYetThere() throws SQLException {
        String a = pg.freshSchema();
        String b = pg.freshSchema();

        assertThat(a).isNotEqualTo(b).matches("t_\\d+");
        assertThat(query(pg.connect(), "SELECT nspname FROM pg_namespace WHERE nspname IN ('" + a + "', '" + b + "')"))
                .isEmpty();
    }

    @Test
    void aCrashAndRestartKeepsCommittedRowsAndLosesUncommittedOnes() throws SQLException {
        String schema = pg.freshSchema();
        try (Connection c = pg.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".t (x int)");
            st.execute("INSERT INTO " + schema + ".t VALUES (1)");
        }
        try (Connection open = pg.connect()) {
            open.setAutoCommit(false);
            try (Statement st = open.createStatement()) {
                st.execute("INSERT INTO " + schema + ".t VALUES (2)");
            }

            pg.stopImmediate();
            try {
                assertThatThrownBy(() -> query(pg.connect(), "SELECT 1"))
                        .as("a connection to the stopped server")
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(open::commit)
                        .as("the open transaction's commit")
                        .isInstanceOf(SQLException.class);
            } finally {
                pg.restart();
            }
        }

        assertThat(query(pg.connect(), "SELECT x::text FROM " + schema + ".t")).containsExactly("1");
        try (Connection pooled = pg.dataSource().getConnection()) {
            assertThat(query(pooled, "SELECT count(*)::text FROM " + schema + ".t", false))
                    .containsExactly("1");
        }
    }

    @Test
    void terminateBackendsCutsAnotherConnection() throws SQLException {
        try (Connection victim = pg.connect()) {
            assertThat(query(victim, "SELECT 1::text", false)).containsExactly("1");

            assertThat(pg.terminateBackends()).isGreaterThanOrEqualTo(1);

            assertThatThrownBy(() -> query(victim, "SELECT 1::text", false)).isInstanceOf(SQLException.class);
            assertThat(victim.isValid(5)).isFalse();
        }
        try (Connection pooled = pg.dataSource().getConnection()) {
            assertThat(query(pooled, "SELECT 2::text", false))
                    .as("the pool after the cut")
                    .containsExactly("2");
        }
    }

    /** Runs the query on the connection and closes it. */
    private static List<String> query(Connection c, String sql) throws SQLException {
        return query(c, sql, true);
    }

    private static List<String> query(Connection c, String sql, boolean close) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } finally {
            if (close) {
                c.close();
            }
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
