package dev.durable.runtime.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ExecutionDetails;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** On PostgreSQL a diverging execution is held BLOCKED in its row, and a worker started later with fixed code resumes it. */
@ExtendWith(PostgresExtension.class)
class PostgresBlockedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestPostgres pg;
    private String schema;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<PostgresRuntime> open = new ArrayList<>();

    PostgresBlockedTest(TestPostgres pg) {
        this.pg = pg;
    }

    @BeforeEach
    void schema() {
        schema = pg.freshSchema();
    }

    @AfterEach
    void closeAll() {
        open.forEach(PostgresRuntime::close);
    }

    /** A worker whose handler's first step is named {@code firstStep}: "a" is the code executions started with. */
    private PostgresRuntime worker(String id, String firstStep) {
        PostgresRuntime r = PostgresRuntime.builder()
                .url(pg.jdbcUrl())
                .schema(schema)
                .workerId(id)
                .clock(clock)
                .pollInterval(Duration.ofMillis(50))
                .lease(Duration.ofSeconds(2))
                .open();
        open.add(r);
        r.register("h", String.class, String.class, (in, ctx) -> {
            String x = ctx.step(firstStep, String.class, s -> "x");
            ctx.wait("w", Duration.ofMinutes(1));
            return x + "-done";
        });
        return r;
    }

    private Object column(String sql) throws SQLException {
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql.replace("$s", schema))) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    /** Starts e1 on code "a", lets it wait, stops that worker and deploys code "b", which diverges at step 1. */
    private PostgresRuntime blockedByBrokenDeploy() throws SQLException {
        PostgresRuntime v1 = worker("v1", "a");
        v1.start("h", "e1", "in");
        assertThat(v1.awaitIdle(WAIT)).isTrue();
        v1.close();
        PostgresRuntime broken = worker("v2", "b");
        clock.advance(Duration.ofMinutes(1));
        assertThat(broken.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'e1'")).isEqualTo("BLOCKED");
        return broken;
    }

    @Test
    void aDivergingExecutionIsBlockedInItsRowAndAWorkerStartedLaterWithFixedCodeResumesIt() throws Exception {
        PostgresRuntime broken = blockedByBrokenDeploy();
        long records = (Long) column("SELECT count(*) FROM $s.records WHERE execution = 'e1'");

        ExecutionInfo info = broken.list(ExecutionStatus.BLOCKED).get(0);
        assertThat(info.name()).isEqualTo("e1");
        assertThat(info.blockedReason()).contains("the journal holds STEP 'a' but the code now performs STEP 'b'");
        ExecutionDetails d = broken.describe("e1");
        assertThat(d.info().status()).isEqualTo(ExecutionStatus.BLOCKED);
        assertThat(d.error().message()).isEqualTo(info.blockedReason());
        assertThat(column("SELECT finished_at FROM $s.executions WHERE name = 'e1'"))
                .isNull();
        assertThat(column("SELECT lease_until FROM $s.executions WHERE name = 'e1'"))
                .isNull();
        // held, not claimed again and again: the broken worker polls on and journals nothing
        clock.advance(Duration.ofHours(1));
        assertThat(broken.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'e1'")).isEqualTo("BLOCKED");
        assertThat(column("SELECT count(*) FROM $s.records WHERE execution = 'e1'"))
                .isEqualTo(records);

        // the fixed code is deployed while the broken worker still runs (a rolling deploy)
        PostgresRuntime fixed = worker("v3", "a");
        assertThat(fixed.<String>execution("e1").result(WAIT)).isEqualTo("x-done");
        assertThat(column("SELECT status FROM $s.executions WHERE name = 'e1'")).isEqualTo("SUCCEEDED");
        assertThat(column("SELECT error FROM $s.executions WHERE name = 'e1'")).isNull();
    }

    @Test
    void anOperatorFailsABlockedExecutionFromAnyWorkerAndNotOneThatIsNotBlocked() throws Exception {
        PostgresRuntime broken = blockedByBrokenDeploy();
        broken.start("h", "e2", "in"); // started on the broken code: waits, not blocked
        assertThat(broken.awaitIdle(WAIT)).isTrue();
        PostgresRuntime other = worker("v2-other", "b");
        // a worker started later replays it once with its code (the same broken code): blocked again, by that worker
        assertThat(other.awaitIdle(WAIT)).isTrue();
        assertThat(column("SELECT status || ' ' || owner FROM $s.executions WHERE name = 'e1'"))
                .isEqualTo("BLOCKED v2-other");

        assertThatThrownBy(() -> other.fail("e2", "no"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not BLOCKED");
        other.fail("e1", "customer gone");

        assertThat(column("SELECT status FROM $s.executions WHERE name = 'e1'")).isEqualTo("FAILED");
        assertThat(other.describe("e1").error().message())
                .startsWith("failed by an operator: customer gone (it was BLOCKED: ");
        assertThatThrownBy(() -> broken.execution("e1").result(WAIT))
                .isInstanceOf(ExecutionFailedException.class)
                .hasMessageContaining("failed by an operator: customer gone");
    }
}
