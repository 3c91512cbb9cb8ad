package dev.durable.spring;

import dev.durable.runtime.local.journal.Durability;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code durable.*} properties the auto-configured {@link dev.durable.runtime.local.LocalRuntime} is built from;
 * the defaults are the runtime's own.
 */
@ConfigurationProperties("durable")
public class DurableProperties {
    /** The journal directory, created owner-only if missing. Ignored when durability is MEMORY. */
    private Path directory = Path.of(".durable");

    /**
     * SYNC: every operation is forced to disk before it is acknowledged. BATCHED: the same promise, forces shared
     * over a short window. MEMORY: nothing survives the process (tests).
     */
    private Durability durability = Durability.SYNC;

    /** How long finished executions are kept before they are removed from the journal. */
    private Duration retention = Duration.ofDays(14); // LocalRuntime.DEFAULT_RETENTION, spelled out for the metadata

    /**
     * Handlers running at once; suspended (waiting) executions hold no thread. Unset: 64 on platform threads, no
     * limit on virtual threads.
     */
    private Integer threads;

    /**
     * Whether handlers run on virtual threads (Java 21 and later). Unset: they do from Java 24, where a virtual thread
     * blocked in a synchronized block no longer holds its carrier thread.
     */
    private Boolean virtualThreads;

    /** The largest serialized input, result or callback payload. */
    private DataSize payloadLimit = DataSize.ofKilobytes(256);

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    public Durability getDurability() {
        return durability;
    }

    public void setDurability(Durability durability) {
        this.durability = durability;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }

    public Boolean getVirtualThreads() {
        return virtualThreads;
    }

    public void setVirtualThreads(Boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    public DataSize getPayloadLimit() {
        return payloadLimit;
    }

    public void setPayloadLimit(DataSize payloadLimit) {
        this.payloadLimit = payloadLimit;
    }

    /** The admin endpoint and web console ({@code runtime.serveAdmin()}), off unless enabled. */
    private final Admin admin = new Admin();

    public Admin getAdmin() {
        return admin;
    }

    /** {@code durable.admin.*}: serve the admin endpoint and console on a port of its own, bound to localhost. */
    public static class Admin {
        /** Whether to serve the admin endpoint and the web console. */
        private boolean enabled;

        /** The address to bind; keep 127.0.0.1 unless a proxy in front adds its own protection. */
        private String host = "127.0.0.1";

        /** The port, or 0 for a free one (announced in the journal directory for the CLI). */
        private int port;

        /** The bearer token (at least 32 characters); generated when unset. */
        private String token;

        /** {@code port}: a port of its own (the default); {@code spring}: under the application's own port and path. */
        private String mount = "port";

        /** Where the API and console are mounted under the application's port, with {@code mount=spring}. */
        private String path = "/durable";

        /** With {@code mount=spring}: whether requests need the token (set false when Spring Security protects the path). */
        private boolean requireToken = true;

        public String getMount() {
            return mount;
        }

        public void setMount(String mount) {
            this.mount = mount;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public boolean isRequireToken() {
            return requireToken;
        }

        public void setRequireToken(boolean requireToken) {
            this.requireToken = requireToken;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }
    }
}
