package dev.durable.it.agent;

import dev.durable.Execution;
import dev.durable.ManualClock;
import dev.durable.OperationInfo;
import dev.durable.agent.DurableAgent;
import dev.durable.runtime.local.LocalRuntime;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The application the agent tests run in child JVMs. Prints {@code RESULT ...} and other lines the tests wait for;
 * the first argument picks the scenario, the second is the journal directory.
 */
public final class AgentApp {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private AgentApp() {}

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        switch (scenario) {
            case "shipment" -> shipment(Path.of(args[1]));
            case "approval" -> approval(Path.of(args[1]));
            case "loaded-before-install" -> loadedBeforeInstall(Path.of(args[1]));
            case "proxy" -> proxy(Path.of(args[1]));
            case "application-bytebuddy" -> applicationByteBuddy(Path.of(args[1]));
            case "plain" -> plain();
            case "unweavable" -> System.out.println("LOADED " + new UnweavableSubclass().abstractStep());
            case "install" -> install();
            case "tiny" -> System.out.println("TINY");
            case "orphan" -> orphan(Path.of(args[1]), Path.of(args[2]));
            case "tariffs" -> tariffs(Path.of(args[1]), args[2]);
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    /** Runs (or, after a crash, resumes) the shipment of order A-1. */
    private static void shipment(Path journal) {
        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            runtime.register(new Shipment());
            Execution<String> execution = runtime.start(Shipment.class, "shipment-A-1", new Order("A-1", 3));
            System.out.println("RESULT " + execution.result(TIMEOUT));
        }
    }

    /** Waits for the approval callback, completes it and prints the result. */
    private static void approval(Path journal) throws InterruptedException {
        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            runtime.register(new Approval());
            Execution<String> execution = runtime.start(Approval.class, "approval-B-2", new Order("B-2", 1));
            String callbackId = Approval.CALLBACKS.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (callbackId == null) {
                throw new IllegalStateException("the callback was never submitted");
            }
            // once the handler has suspended, completing the callback replays it from the top
            if (!runtime.awaitIdle(TIMEOUT)) {
                throw new IllegalStateException("the handler did not suspend on its callback");
            }
            runtime.completeCallback(callbackId, true);
            System.out.println("RESULT " + execution.result(TIMEOUT));
        }
    }

    /** Uses Approval plainly, installs the agent at run time, then runs the approval durably. */
    private static void loadedBeforeInstall(Path journal) throws InterruptedException {
        System.out.println("PLAIN " + Approval.record("before-install", true));
        DurableAgent.install();
        DurableAgent.install();
        System.out.println("ACTIVE " + System.getProperty(DurableAgent.ACTIVE_PROPERTY));
        approval(journal);
    }

    /** Runs the invoice through its hand-written proxy and lists the journaled operations. */
    private static void proxy(Path journal) {
        try (LocalRuntime runtime = LocalRuntime.open(journal)) {
            runtime.register(new InvoiceProxy());
            Execution<String> execution = runtime.start(Invoice.class, "invoice-C-3", new Order("C-3", 5));
            System.out.println("RESULT " + execution.result(TIMEOUT));
            System.out.println("OPERATIONS "
                    + runtime.describe("invoice-C-3").operations().stream()
                            .map(OperationInfo::name)
                            .collect(Collectors.joining(",")));
        }
    }

    /** Generates a class with the application's own ByteBuddy, then runs a shipment. */
    private static void applicationByteBuddy(Path journal) throws ReflectiveOperationException {
        System.out.println("GENERATED " + ApplicationByteBuddy.generate());
        System.out.println("BYTEBUDDY " + ApplicationByteBuddy.location());
        shipment(journal);
    }

    /** Calls annotated methods outside any execution. */
    private static void plain() throws InterruptedException {
        Shipment shipment = new Shipment();
        System.out.println("PLAIN " + Shipment.label("D-4") + " " + shipment.price(new Order("D-4", 2)) + " "
                + shipment.handle(new Order("D-4", 2)));
    }

    /**
     * Release {@code v1} starts the tariff of order E-5 and prints its status once it waits; release {@code v2}, an
     * hour and more later, replays it and prints its result.
     */
    private static void tariffs(Path journal, String release) {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        boolean v1 = release.equals("v1");
        ManualClock clock = new ManualClock(v1 ? start : start.plus(Duration.ofHours(2)));
        try (LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open()) {
            runtime.register(v1 ? new TariffsV1() : new TariffsV2());
            if (v1) {
                runtime.start("tariffs", "tariff-E-5", new Order("E-5", 3));
                runtime.awaitIdle(TIMEOUT);
                System.out.println("STATUS " + runtime.execution("tariff-E-5").status());
            } else {
                System.out.println("RESULT " + runtime.execution("tariff-E-5").result(TIMEOUT));
            }
        }
    }

    /** Loads {@link Orphan} from {@code classes} with only the annotations beside it, its superclass missing. */
    private static void orphan(Path classes, Path annotations) throws Exception {
        URL[] urls = {classes.toUri().toURL(), annotations.toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class.forName(Orphan.class.getName(), true, loader);
            System.out.println("LOADED");
        } catch (NoClassDefFoundError e) {
            System.out.println("MISSING " + e.getMessage());
        }
    }

    /** Installs the agent at run time; prints the refusal where attaching is not allowed. */
    private static void install() {
        try {
            DurableAgent.install();
            System.out.println("INSTALLED " + System.getProperty(DurableAgent.ACTIVE_PROPERTY));
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
