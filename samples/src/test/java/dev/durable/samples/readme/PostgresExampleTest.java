package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.runtime.postgres.PostgresExtension;
import dev.durable.runtime.postgres.PostgresRuntime;
import dev.durable.runtime.postgres.TestPostgres;
import dev.durable.samples.postgres.Checkout;
import dev.durable.samples.postgres.Checkout_Durable;
import dev.durable.samples.postgres.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Running on PostgreSQL", run for real on a throwaway server. */
@ExtendWith(PostgresExtension.class)
class PostgresExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeWorkerRunsAnOrderToItsEnd(TestPostgres pg) throws Exception {
        DataSource dataSource = pg.dataSource();
        Ledger ledger = new Ledger(dir.resolve("ledger.log"), "worker-1");

        try (DurableRuntime runtime = PostgresRuntime.builder()
                .dataSource(dataSource)
                .workerId("worker-1")
                .open()) {
            runtime.register(new Checkout_Durable(ledger));
            Execution<String> order = runtime.start(Checkout.class, "order-42", "order-42"); // any worker may run it
            System.out.println(order.result(Duration.ofMinutes(1)));
        }

        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT status, result FROM durable.executions WHERE name = 'order-42'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
            assertThat(rs.getString(2)).isEqualTo("\"SHIP-RES-order-42 paid by PAY-order-42\"");
        }
        assertThat(Files.readAllLines(dir.resolve("ledger.log")))
                .containsExactly(
                        "reserve order-42 on worker-1",
                        "charge order-42 4200 on worker-1",
                        "ship RES-order-42 on worker-1");
    }
}
