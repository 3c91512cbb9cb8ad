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

    /** Handlers running at once; suspended (waiting) executions hold no thread. */
    private int threads = 64;

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

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public DataSize getPayloadLimit() {
        return payloadLimit;
    }

    public void setPayloadLimit(DataSize payloadLimit) {
        this.payloadLimit = payloadLimit;
    }
}
