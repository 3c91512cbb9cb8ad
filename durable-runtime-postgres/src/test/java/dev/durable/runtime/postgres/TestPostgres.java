package dev.durable.runtime.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.opentest4j.TestAbortedException;

/**
 * A throwaway PostgreSQL server for tests: {@code initdb} into a fresh temporary directory, {@code pg_ctl start} on
 * a free port of 127.0.0.1, and everything deleted again on {@link #close()}. PostgreSQL refuses to run as root, so
 * when the tests do (as in CI containers) the directories are given to the {@code postgres} user and every server
 * command runs as that user through {@code runuser} (or {@code setpriv} where there is no runuser).
 *
 * <p>The binaries are found through the system property {@code durable.postgres.bin}, else in the highest
 * {@code /usr/lib/postgresql/<version>/bin}, else on the PATH. With the system property {@code durable.postgres.url}
 * (and optionally {@code durable.postgres.user}, {@code durable.postgres.password}) no server is started and the
 * tests use that one; then the tests that stop or restart the server are skipped.
 *
 * <p>Tests get one server per JVM through {@link PostgresExtension}, and a schema of their own from
 * {@link #freshSchema()}.
 */
public final class TestPostgres implements AutoCloseable {
    /** JDBC URL of a server to use instead of starting one. */
    public static final String URL_PROPERTY = "durable.postgres.url";
    /** Directory holding {@code initdb} and {@code pg_ctl}. */
    public static final String BIN_PROPERTY = "durable.postgres.bin";

    /** The database user {@code initdb} creates, which the tests connect as. */
    static final String USER = "durable";
    /** The OS user that runs the server when the tests run as root. */
    static final String OS_USER = "postgres";

    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final int START_ATTEMPTS = 3;

    private final String url;
    private final String user;
    private final String password;
    /** Null for a server given by {@link #URL_PROPERTY}. */
    private final Local local;

    private final AtomicInteger schemas = new AtomicInteger();
    private HikariDataSource pool;
    private boolean closed;

    private TestPostgres(String url, String user, String password, Local local) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.local = local;
    }

    /**
     * Starts a new server, or connects to the one {@code durable.postgres.url} names.
     *
     * @throws IllegalStateException when the binaries are missing or the server does not start; the message holds
     *     the tail of the server's log
     */
    public static TestPostgres start() {
        String external = System.getProperty(URL_PROPERTY);
        if (external != null && !external.isBlank()) {
            return new TestPostgres(
                    external,
                    System.getProperty("durable.postgres.user"),
                    System.getProperty("durable.postgres.password"),
                    null);
        }
        Local local = Local.create();
        TestPostgres pg = new TestPostgres(
                "jdbc:postgresql://127.0.0.1:" + local.port + "/postgres?user=" + USER, null, null, local);
        Runtime.getRuntime().addShutdownHook(new Thread(pg::closeQuietly, "stop test PostgreSQL"));
        return pg;
    }

    /** Whether this JVM started the server (rather than using one {@code durable.postgres.url} names). */
    public boolean isLocal() {
        return local != null;
    }

    /** The server's JDBC URL; a local server's is {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=durable}. */
    public String jdbcUrl() {
        return url;
    }

    /** A small connection pool to the server, closed with it. */
    public synchronized DataSource dataSource() {
        checkOpen();
        if (pool == null) {
            HikariConfig config = poolConfig();
            config.setPoolName("test-postgres");
            config.setMaximumPoolSize(8);
            pool = new HikariDataSource(config);
        }
        return pool;
    }

    /** The settings of a pool of one's own on this server: its URL and credentials, no idle connections kept. */
    public HikariConfig poolConfig() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        return config;
    }

    /** A new connection outside the pool, which the caller closes. */
    public Connection connect() throws SQLException {
        checkOpen();
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return new org.postgresql.Driver().connect(url, props);
    }

    /** A schema name no test has used on this server: {@code t_1}, {@code t_2}... skipping names that exist. */
    public String freshSchema() {
        try (Connection c = connect();
                PreparedStatement exists =
                        c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            while (true) {
                String name = "t_" + schemas.incrementAndGet();
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        return name;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the schemas of " + url + " failed", e);
        }
    }

    /** Kills the server the way a crash does ({@code pg_ctl stop -m immediate}): no checkpoint, no goodbye. */
    public synchronized void stopImmediate() {
        Local l = requireLocal("stop");
        l.stop("immediate");
    }

    /**
     * Starts the server again on the same port and data directory, after {@link #stopImmediate()}; the pool of
     * {@link #dataSource()} drops the connections the stop broke.
     */
    public synchronized void restart() {
        Local l = requireLocal("restart");
        l.startServer();
        evictPooled();
    }

    /** The OS process id of the server's postmaster, from its {@code postmaster.pid}. */
    public long serverPid() {
        Local l = requireLocal("inspect");
        try {
            return Long.parseLong(
                    Files.readAllLines(l.data.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("reading postmaster.pid failed; is the server running?", e);
        }
    }

    /**
     * Cuts every other connection of this user to this database, as a network failure or an operator would, and
     * waits until their backends have gone; the pool of {@link #dataSource()} drops the ones it held, so later
     * tests get working connections from it. Works on any server.
     *
     * @return how many connections were cut
     */
    public int terminateBackends() {
        String sql = "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
                + "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' "
                + "AND datname = current_database() AND usename = current_user";
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            evictPooled();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("terminating the backends of " + url + " failed", e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its directory; closes the pool. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.close();
        }
        if (local != null) {
            try {
                local.stop("fast");
            } finally {
                local.delete();
            }
        }
    }

    private synchronized void evictPooled() {
        if (pool != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // the JVM is going away: nothing more to do with it
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the test PostgreSQL server is closed");
        }
    }

    private Local requireLocal(String what) {
        checkOpen();
        if (local == null) {
            throw new TestAbortedException("cannot " + what + " the server " + URL_PROPERTY + " names");
        }
        return local;
    }

    /** A server this JVM started: its binaries, directories and port. */
    private static final class Local {
        final Path bin;
        final Path dir;
        final Path data;
        final Path sockets;
        final Path log;
        final boolean asRoot;
        int port;

        private Local(Path bin, Path dir, boolean asRoot) {
            this.bin = bin;
            this.dir = dir;
            this.data = dir.resolve("data");
            this.sockets = dir.resolve("sockets");
            this.log = dir.resolve("postgres.log");
            this.asRoot = asRoot;
        }

        static Local create() {
            Path bin = findBinaries();
            boolean root = runningAsRoot();
            Path dir;
            try {
                dir = Files.createTempDirectory("durable-postgres-");
                Files.createDirectory(dir.resolve("sockets"));
            } catch (IOException e) {
                throw new UncheckedIOException("creating a directory for the test PostgreSQL failed", e);
            }
            Local l = new Local(bin, dir, root);
            try {
                if (root) {
                    l.giveToServerUser(dir);
                    l.giveToServerUser(l.sockets);
                }
                l.run(
                        "initdb",
                        List.of(
                                bin.resolve("initdb").toString(),
                                "-D",
                                l.data.toString(),
                                "-A",
                                "trust",
                                "-U",
                                USER,
                                "--no-sync",
                                "-E",
                                "UTF8",
                                "--locale=C"));
                l.startOnFreePort();
                return l;
            } catch (RuntimeException | Error e) {
                l.delete();
                throw e;
            }
        }

        /** Starts the server on a free port; another process may take the port first, so it tries a few. */
        private void startOnFreePort() {
            for (int attempt = 1; ; attempt++) {
                port = freePort();
                try {
                    startServer();
                    return;
                } catch (IllegalStateException e) {
                    if (attempt == START_ATTEMPTS || !tail(log).contains("could not bind")) {
                        throw e;
                    }
                }
            }
        }

        void startServer() {
            String options = "-p " + port + " -k " + sockets + " -c listen_addresses=127.0.0.1"
                    + " -c max_connections=200 -c fsync=on";
            run(
                    "pg_ctl start",
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-l",
                            log.toString(),
                            "-w",
                            "-t",
                            "60",
                            "start",
                            "-o",
                            options));
        }

        void stop(String mode) {
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                return;
            }
            run(
                    "pg_ctl stop",
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-m",
                            mode,
                            "-w",
                            "-t",
                            "60",
                            "stop"));
        }

        void delete() {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("deleting " + dir + " failed", e);
            }
        }

        /**
         * Runs a server command, as the {@code postgres} user when the tests run as root, its output into a file.
         *
         * @throws IllegalStateException when it fails, with its output and the tail of the server's log
         */
        void run(String what, List<String> command) {
            List<String> full = new ArrayList<>();
            if (asRoot) {
                full.addAll(asServerUser());
            }
            full.addAll(command);
            Path output = dir.resolve("command.out");
            ProcessBuilder pb = new ProcessBuilder(full)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("PG"));
            env.put("LC_ALL", "C");
            try {
                Process p = pb.start();
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw failure(what + " did not finish in " + COMMAND_TIMEOUT_SECONDS + "s", full, output);
                }
                if (p.exitValue() != 0) {
                    throw failure(what + " failed with exit code " + p.exitValue(), full, output);
                }
            } catch (IOException e) {
                throw new IllegalStateException(what + " could not be started: " + String.join(" ", full), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(what + " was interrupted", e);
            }
        }

        private IllegalStateException failure(String message, List<String> command, Path output) {
            return new IllegalStateException(message + "\ncommand: " + String.join(" ", command) + "\noutput:\n"
                    + tail(output) + "\nserver log " + log + ":\n" + tail(log));
        }

        /** The prefix that runs a command as the {@code postgres} user. */
        private static List<String> asServerUser() {
            Optional<Path> runuser = onPath("runuser");
            if (runuser.isPresent()) {
                return List.of(runuser.get().toString(), "-u", OS_USER, "--");
            }
            Optional<Path> setpriv = onPath("setpriv");
            if (setpriv.isPresent()) {
                return List.of(setpriv.get().toString(), "--reuid=" + OS_USER, "--regid=" + OS_USER, "--init-groups");
            }
            throw new IllegalStateException("the tests run as root, which PostgreSQL refuses, and neither runuser nor"
                    + " setpriv is there to run it as the '" + OS_USER + "' user");
        }

        private void giveToServerUser(Path path) {
            try {
                UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName(OS_USER));
                GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
                view.setGroup(group);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "the tests run as root, which PostgreSQL refuses, and " + path + " could not be given to the '"
                                + OS_USER + "' user to run it (does that user exist?)",
                        e);
            }
        }

        private static Path findBinaries() {
            String property = System.getProperty(BIN_PROPERTY);
            if (property != null && !property.isBlank()) {
                Path bin = Path.of(property);
                if (!Files.isExecutable(bin.resolve("initdb")) || !Files.isExecutable(bin.resolve("pg_ctl"))) {
                    throw new IllegalStateException(BIN_PROPERTY + "=" + property + " holds no initdb and pg_ctl");
                }
                return bin;
            }
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (Stream<Path> versions = Files.list(debian)) {
                    Optional<Path> highest = versions.filter(
                                    v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                            .max(Comparator.comparingDouble(
                                    v -> Double.parseDouble(v.getFileName().toString())));
                    if (highest.isPresent()) {
                        return highest.get().resolve("bin");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("listing " + debian + " failed", e);
                }
            }
            Optional<Path> initdb = onPath("initdb");
            if (initdb.isPresent() && Files.isExecutable(initdb.get().resolveSibling("pg_ctl"))) {
                return initdb.get().getParent();
            }
            throw new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl) found: set " + BIN_PROPERTY
                    + ", install Debian's postgresql package (scripts/test.sh does), or set " + URL_PROPERTY
                    + " to use a running server");
        }

        private static Optional<Path> onPath(String name) {
            List<String> dirs = new ArrayList<>(Arrays.asList(
                    Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)));
            dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
            return dirs.stream()
                    .filter(d -> !d.isEmpty())
                    .map(d -> Path.of(d, name))
                    .filter(Files::isExecutable)
                    .findFirst();
        }

        private static boolean runningAsRoot() {
            try {
                Process p =
                        new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return out.equals("0");
                }
            } catch (IOException e) {
                // no id command: the JVM's idea of the user below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "root".equals(System.getProperty("user.name"));
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("finding a free port failed", e);
            }
        }

        private static String tail(Path file) {
            try {
                if (!Files.exists(file)) {
                    return "(none)";
                }
                List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                        .lines()
                        .toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }
}
