package dev.durable.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The Java agent that makes plain instances of {@code @DurableFunction} classes durable: with it, every
 * {@code @Step}, {@code @Wait} and {@code @Callback} method is journaled and replayed by the engine, private, final
 * and static ones and calls through {@code this} included. Outside an execution these methods stay plain calls.
 *
 * <p>Start the JVM with it:
 * <pre>{@code
 * java -javaagent:durable-agent-0.1.0.jar -cp app.jar com.example.Main
 * }</pre>
 * or install it at run time, for tests and IDE runs, before the first execution starts:
 * <pre>{@code
 * DurableAgent.install();
 * try (LocalRuntime runtime = LocalRuntime.open(Path.of(".durable"))) {
 *     runtime.register(new OrderProcessor(inventory, payments, mailer));
 *     ...
 * }
 * }</pre>
 * Once installed it sets the system property {@value #ACTIVE_PROPERTY} to {@code true}. With
 * {@code -Ddev.durable.agent.verbose=true} it logs each class it weaves.
 */
public final class DurableAgent {
    /** Set to {@code true} once the agent is installed, so the runtime knows plain instances are woven. */
    public static final String ACTIVE_PROPERTY = "dev.durable.agent.active";

    private static volatile boolean installed;

    private DurableAgent() {}

    /** Entry point for {@code -javaagent}. */
    public static void premain(String arguments, Instrumentation instrumentation) {
        install(instrumentation, true);
    }

    /** Entry point for attaching to a running JVM. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        install(instrumentation);
    }

    /**
     * Installs the agent into this JVM by attaching to it; does nothing when it is installed already (by
     * {@code -javaagent} or an earlier call). Classes loaded before are retransformed.
     *
     * @throws IllegalStateException when this JVM does not allow attaching an agent; the message says how to start it
     *     with {@code -javaagent} instead
     */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Instrumentation instrumentation;
        try {
            instrumentation = ByteBuddyAgent.install();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot install the durable agent at run time: this JVM does not allow"
                            + " attaching an agent (" + e.getMessage() + "). Start the JVM with -javaagent:"
                            + agentJar()
                            + ", or allow attaching with -Djdk.attach.allowAttachSelf=true and without"
                            + " -XX:+DisableAttachMechanism.",
                    e);
        }
        install(instrumentation);
    }

    /**
     * Installs the agent with an {@link Instrumentation} the caller already has; does nothing when it is installed.
     *
     * @throws IllegalArgumentException when {@code instrumentation} cannot retransform classes
     */
    public static void install(Instrumentation instrumentation) {
        install(instrumentation, false);
    }

    private static synchronized void install(Instrumentation instrumentation, boolean atJvmStart) {
        if (installed) {
            return;
        }
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new IllegalArgumentException("the instrumentation cannot retransform classes: the agent jar's"
                    + " manifest needs Can-Retransform-Classes: true");
        }
        try {
            BootstrapJar.appendTo(instrumentation);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not put the durable agent's dispatcher on the bootstrap class path", e);
        }
        // set first: a weaver failing on its background thread clears it again
        System.setProperty(ACTIVE_PROPERTY, "true");
        try {
            Weaving.start(instrumentation, atJvmStart);
        } catch (RuntimeException | Error e) {
            System.clearProperty(ACTIVE_PROPERTY);
            throw e;
        }
        installed = true;
    }

    /** Whether the agent is installed in this JVM, by this copy of it or another. */
    public static boolean isInstalled() {
        return installed || Boolean.getBoolean(ACTIVE_PROPERTY);
    }

    private static String agentJar() {
        CodeSource source = DurableAgent.class.getProtectionDomain().getCodeSource();
        try {
            if (source != null && source.getLocation() != null) {
                Path path = Path.of(source.getLocation().toURI());
                if (path.toString().endsWith(".jar")) {
                    return path.toString();
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // fall through to the generic name
        }
        return "/path/to/durable-agent.jar";
    }
}
