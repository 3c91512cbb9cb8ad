package dev.durable.agent;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's messages, through {@link System.Logger} (the agent cannot assume SLF4J). Each problem is reported once,
 * however often the class or loader that causes it shows up again. The logger is created on first use so that a
 * quiet start-up never initialises the application's logging early.
 */
final class AgentLog {
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private AgentLog() {}

    /** Logs a warning the first time {@code key} is seen; {@code cause} may be null. */
    static void warnOnce(String key, String message, Throwable cause) {
        if (REPORTED.add(key)) {
            logger().log(Level.WARNING, message, cause);
        }
    }

    static void info(String message) {
        logger().log(Level.INFO, message);
    }

    private static System.Logger logger() {
        return System.getLogger("dev.durable.agent");
    }
}
