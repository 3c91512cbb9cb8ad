package dev.durable.runtime.postgres;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link TestPostgres}: one server for the whole test JVM, started when the first test class that
 * uses the extension runs and stopped when the run ends.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class OrdersTest {
 *     @Test
 *     void something(TestPostgres pg) {
 *         Schema.migrate(pg.dataSource(), pg.freshSchema());
 *     }
 * }
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    /**
     * Held in the root store, which closes it after the last test of the run: JUnit 5.13 and later close it as an
     * AutoCloseable, older ones as a CloseableResource.
     */
    private record Server(TestPostgres postgres) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            postgres.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestPostgres.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The run's server, started by the first caller; the store computes it once however many threads ask. */
    static TestPostgres server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Server.class, k -> new Server(TestPostgres.start()), Server.class)
                .postgres();
    }
}
