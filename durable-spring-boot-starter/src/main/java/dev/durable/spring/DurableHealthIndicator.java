package dev.durable.spring;

import dev.durable.DurableRuntime;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.OperationInfo;
import dev.durable.runtime.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health {@code durable}: UP while the runtime is open and its journal takes records (which also means it holds the
 * journal's lock), DOWN with the reason once it is closed or its journal failed a write or force. Details:
 * {@code executions} (count by status) and, for a {@link LocalRuntime}, {@code mostOverdueTimer}: how far past its due time the most overdue pending timer (wait, retry delay, poll,
 * callback timeout) of a waiting execution is, as an ISO-8601 duration ({@code PT0S} when none is overdue). A timer
 * fires at or after its due time, so a growing value means timers are not being served (all handler threads busy,
 * the function not registered).
 */
public class DurableHealthIndicator extends AbstractHealthIndicator {
    /** Waiting executions read to find overdue timers, at most; each costs a read of its journal records. */
    static final int MAX_DESCRIBED = 1000;

    private final DurableRuntime runtime;

    public DurableHealthIndicator(DurableRuntime runtime) {
        super("durable health check failed");
        this.runtime = runtime;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        String down = probe();
        Map<ExecutionStatus, Integer> counts = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus s : ExecutionStatus.values()) {
            counts.put(s, 0);
        }
        List<ExecutionInfo> all = runtime.list();
        all.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        builder.withDetail("executions", counts);
        if (down != null) {
            builder.down().withDetail("reason", down);
            return;
        }
        builder.up();
        if (runtime instanceof LocalRuntime local) {
            Instant now = local.clock().now();
            Duration worst = Duration.ZERO;
            int described = 0;
            for (ExecutionInfo e : all) {
                if (e.status() != ExecutionStatus.WAITING) {
                    continue;
                }
                if (++described > MAX_DESCRIBED) {
                    builder.withDetail("mostOverdueTimerOf", "the first " + MAX_DESCRIBED + " waiting executions");
                    break;
                }
                try {
                    for (OperationInfo op : local.describe(e.name()).operations()) {
                        if (!op.isDone()
                                && op.waitUntil() != null
                                && op.waitUntil().isBefore(now)) {
                            Duration late = Duration.between(op.waitUntil(), now);
                            if (late.compareTo(worst) > 0) {
                                worst = late;
                            }
                        }
                    }
                } catch (RuntimeException gone) {
                    // ended and removed by retention meanwhile
                }
            }
            builder.withDetail("mostOverdueTimer", worst.toString());
        }
    }

    /** Null when the runtime takes calls, else why not. */
    private String probe() {
        if (!runtime.isOpen()) {
            return "the runtime is closed";
        }
        if (runtime instanceof LocalRuntime local) {
            return local.journalFailure()
                    .map(f -> "the journal stopped taking records: " + f
                            + "; restart the application to reopen it (nothing acknowledged is lost)")
                    .orElse(null);
        }
        return null;
    }
}
