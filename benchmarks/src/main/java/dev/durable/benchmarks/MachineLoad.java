package dev.durable.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine was with work other than the benchmark's own while a measurement ran: user-space CPU time of
 * every other process, from {@code /proc/stat} minus this process and the children it waited for (the baseline
 * programs). Kernel time is left out, because the disk's own flushing threads work for the benchmark. A load average
 * cannot tell this apart: the benchmark's own threads raise it.
 */
final class MachineLoad {
    /** Above this share of one CPU taken by others, a verdict is reported as unreliable instead of met or missed. */
    static final double BUSY = 0.20;

    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");

    private final long othersTicks;
    private final long startNanos;

    private MachineLoad(long othersTicks, long startNanos) {
        this.othersTicks = othersTicks;
        this.startNanos = startNanos;
    }

    /** Starts a window; {@link #othersCpus()} then reports on it. */
    static MachineLoad start() {
        return new MachineLoad(othersUserTicks(), System.nanoTime());
    }

    /** CPUs' worth of user time other processes used since {@link #start()} (0.5: half of one CPU); NaN if unknown. */
    double othersCpus() {
        long now = othersUserTicks();
        if (now < 0 || othersTicks < 0) {
            return Double.NaN;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return Math.max(0, (now - othersTicks) / 100.0 / seconds); // USER_HZ is 100 on Linux
    }

    /** Whether a verdict taken over this window can be trusted. */
    boolean quiet() {
        double others = othersCpus();
        return !(others > BUSY);
    }

    String describe() {
        double others = othersCpus();
        return Double.isNaN(others)
                ? "other processes' CPU unknown"
                : String.format(Locale.ROOT, "other processes used %.0f %% of a CPU", 100 * others);
    }

    /** The three load averages from {@code /proc/loadavg}, or the JVM's one-minute figure. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static long othersUserTicks() {
        try {
            String[] cpu = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long all = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]); // user + nice, all CPUs
            String self = Files.readString(SELF);
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            // after the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
            long mine = Long.parseLong(f[11]) + Long.parseLong(f[13]);
            return all - mine;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
