package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.CallbackTimeoutException;
import dev.durable.DurableContext;
import dev.durable.DurableHandler;
import dev.durable.ExecutionFailedException;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.ManualClock;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.PayloadTooLargeException;
import dev.durable.SerializationException;
import dev.durable.UnknownCallbackException;
import dev.durable.UnknownExecutionException;
import dev.durable.runtime.local.LocalRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input from callers, operators and changed code: each is refused with an error that says what and where,
 * and nothing that was acknowledged is lost or changed by it.
 */
class BadInputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A callback payload with a shape of its own. */
    public record Decision(boolean approved, int amount) {}

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<String> callbackIds = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();

    private LocalRuntime open() {
        return LocalRuntime.builder()
                .directory(dir)
                .clock(clock)
                .payloadLimit(4096)
                .open();
    }

    /** {@code approve}: waits up to an hour for a {@link Decision}, and reports a timeout as its result. */
    private LocalRuntime openWithApprovals() {
        LocalRuntime runtime = open();
        runtime.register("approve", String.class, String.class, (in, ctx) -> {
            try {
                Decision d = ctx.waitForCallback(
                        "decision",
                        Decision.class,
                        (id, s) -> callbackIds.add(id),
                        CallbackConfig.timeout(Duration.ofHours(1)));
                return d.approved() + " " + d.amount();
            } catch (CallbackTimeoutException e) {
                return "timed out";
            }
        });
        return runtime;
    }

    private String waitingCallback(LocalRuntime runtime, String execution) {
        int before = callbackIds.size();
        runtime.start("approve", execution, "x");
        assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        assertThat(callbackIds).hasSize(before + 1);
        return callbackIds.get(before);
    }

    private String step(DurableContext ctx, String name) {
        return ctx.step(name, String.class, s -> {
            bodies.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return name;
        });
    }

    private int ran(String step) {
        return bodies.getOrDefault(step, new AtomicInteger()).get();
    }

    @Test
    void anUnknownExecutionOrFunctionIsNamedInTheErrorAndChangesNothing() {
        try (LocalRuntime runtime = openWithApprovals()) {
            String callback = waitingCallback(runtime, "known");

            assertThatThrownBy(() -> runtime.execution("order-404"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessageContaining("'order-404'");
            assertThatThrownBy(() -> runtime.cancel("order-404"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessageContaining("'order-404'");
            assertThatThrownBy(() -> runtime.start("shipping", "order-1", "x"))
                    .isInstanceOf(UnknownExecutionException.class)
                    .hasMessageContaining("'shipping'")
                    .hasMessageContaining("approve");

            assertThat(runtime.list())
                    .extracting(i -> i.name() + " " + i.status())
                    .containsExactly("known WAITING");
            runtime.completeCallback(callback, new Decision(true, 5));
            assertThat(runtime.<String>execution("known").result(TIMEOUT)).isEqualTo("true 5");
        }
    }

    @Test
    void anUnknownCallbackIdIsNamedInTheErrorAndChangesNothing() {
        try (LocalRuntime runtime = openWithApprovals()) {
            String callback = waitingCallback(runtime, "a");

            assertThatThrownBy(() -> runtime.completeCallback("no-such-callback", new Decision(true, 1)))
                    .isInstanceOf(UnknownCallbackException.class)
                    .hasMessageContaining("'no-such-callback'");
            assertThatThrownBy(() -> runtime.failCallback("no-such-callback", "Rejected", "no"))
                    .isInstanceOf(UnknownCallbackException.class);
            assertThatThrownBy(() -> runtime.heartbeatCallback("no-such-callback"))
                    .isInstanceOf(UnknownCallbackException.class);

            runtime.completeCallback(callback, new Decision(true, 1));
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("true 1");
        }
    }

    @Test
    void aSecondCompletionIsRefusedAndTheFirstStandsAlsoAfterARestart() {
        String callback;
        try (LocalRuntime runtime = openWithApprovals()) {
            callback = waitingCallback(runtime, "a");
            runtime.completeCallback(callback, new Decision(true, 10));

            assertThatThrownBy(() -> runtime.completeCallback(callback, new Decision(false, 0)))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessageContaining(callback)
                    .hasMessageContaining("already completed")
                    .hasMessageContaining("changed nothing");
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("true 10");
        }
        try (LocalRuntime runtime = openWithApprovals()) {
            assertThatThrownBy(() -> runtime.failCallback(callback, "Rejected", "too late"))
                    .isInstanceOf(CallbackAlreadyCompletedException.class);
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("true 10");
        }
    }

    @Test
    void aCompletionAfterTheTimeoutIsRefusedAndTheTimeoutStands() {
        try (LocalRuntime runtime = openWithApprovals()) {
            String callback = waitingCallback(runtime, "a");
            clock.advance(Duration.ofHours(2));
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("timed out");

            assertThatThrownBy(() -> runtime.completeCallback(callback, new Decision(true, 1)))
                    .isInstanceOf(CallbackAlreadyCompletedException.class)
                    .hasMessageContaining("timed out");
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("timed out");
        }
    }

    @Test
    void aPayloadOfTheWrongShapeIsRefusedNamingTheTypeAndTheCallbackStaysCompletable() {
        String callback;
        try (LocalRuntime runtime = openWithApprovals()) {
            callback = waitingCallback(runtime, "a");
            assertThatThrownBy(() -> runtime.completeCallbackJson(callback, "{\"approved\": \"perhaps\"}"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(callback)
                    .hasMessageContaining("Decision")
                    .hasMessageContaining("Nothing was changed");
            assertThatThrownBy(() -> runtime.completeCallback(callback, List.of("yes")))
                    .isInstanceOf(SerializationException.class);
            assertThat(runtime.execution("a").status()).isEqualTo(ExecutionStatus.WAITING);
        }
        // a tool that opens the journal without the function knows the type from the journal only
        try (LocalRuntime tool = open()) {
            assertThatThrownBy(() -> tool.completeCallbackJson(callback, "\"yes\""))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Decision");
            tool.completeCallbackJson(callback, "{\"approved\": true, \"amount\": 3}");
        }
        try (LocalRuntime runtime = openWithApprovals()) {
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("true 3");
        }
    }

    @Test
    void oversizedPayloadsAreRefusedWithTheirSizeAndNothingIsJournaledForThem() {
        String big = "x".repeat(5000);
        try (LocalRuntime runtime = openWithApprovals()) {
            runtime.register(
                    "echo", String.class, String.class, (in, ctx) -> ctx.step("grow", String.class, s -> in + big));

            assertThatThrownBy(() -> runtime.start("echo", "big-input", big))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("over the payload limit of 4096 bytes");
            assertThatThrownBy(() -> runtime.execution("big-input")).isInstanceOf(UnknownExecutionException.class);

            assertThatThrownBy(
                            () -> runtime.start("echo", "big-result", "small").result(TIMEOUT))
                    .isInstanceOf(ExecutionFailedException.class)
                    .hasMessageContaining("over the payload limit");

            String callback = waitingCallback(runtime, "a");
            assertThatThrownBy(() ->
                            runtime.completeCallbackJson(callback, "{\"approved\": true, \"pad\": \"" + big + "\"}"))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining(callback);
            runtime.completeCallback(callback, new Decision(true, 2));
            assertThat(runtime.<String>execution("a").result(TIMEOUT)).isEqualTo("true 2");
        }
    }

    @Test
    void aJournalFromANewerFormatIsRefusedAsSuchAndADamagedVersionFieldAsDamageWithNothingChanged() throws IOException {
        try (LocalRuntime runtime = openWithApprovals()) {
            waitingCallback(runtime, "a");
        }
        Path segment = JournalFiles.segments(dir).get(0);
        byte[] original = Files.readAllBytes(segment);

        byte[] newer = original.clone();
        ByteBuffer header = ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(8, 2);
        CRC32C crc = new CRC32C();
        crc.update(newer, 0, 28);
        header.putInt(28, (int) crc.getValue());
        Files.write(segment, newer);
        assertThatThrownBy(this::open)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("format version 2")
                .hasMessageContaining("written by a newer Durable");
        assertThat(Files.readAllBytes(segment)).isEqualTo(newer);

        byte[] flipped = original.clone();
        flipped[8] ^= 0x02;
        Files.write(segment, flipped);
        assertThatThrownBy(this::open)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(segment.toString())
                .hasMessageContaining("damaged at offset 8");
        assertThat(Files.readAllBytes(segment)).isEqualTo(flipped);

        Files.write(segment, original);
        try (LocalRuntime runtime = openWithApprovals()) {
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
            assertThat(runtime.execution("a").status()).isEqualTo(ExecutionStatus.WAITING);
        }
    }

    @Test
    void aJournalPathThatCannotBeADirectoryIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "keep me");
        for (Path unusable : List.of(file, file.resolve("journal"), Path.of("/proc/self/durable-journal"))) {
            assertThatThrownBy(() -> LocalRuntime.open(unusable).close())
                    .as("opening %s", unusable)
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(unusable.toString());
        }
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void reorderedStepsBlockTheExecutionNamingTheOperationAndTheOriginalCodeResumesItWithNothingLost() {
        DurableHandler<String, String> original = (in, ctx) -> {
            String r = step(ctx, "reserve") + step(ctx, "charge");
            ctx.wait("cooling-off", Duration.ofHours(1));
            return r + step(ctx, "ship");
        };
        DurableHandler<String, String> reordered = (in, ctx) -> {
            String r = step(ctx, "charge") + step(ctx, "reserve");
            ctx.wait("cooling-off", Duration.ofHours(1));
            return r + step(ctx, "ship");
        };
        try (LocalRuntime runtime = open()) {
            runtime.register("order", String.class, String.class, original);
            runtime.start("order", "o1", "x");
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        }
        clock.advance(Duration.ofHours(2));
        try (LocalRuntime runtime = open()) {
            runtime.register("order", String.class, String.class, reordered);
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
            assertThat(runtime.execution("o1").status()).isEqualTo(ExecutionStatus.BLOCKED);
            assertThat(runtime.describe("o1").error().type())
                    .isEqualTo(NonDeterministicExecutionException.class.getName());
            assertThat(runtime.describe("o1").info().blockedReason())
                    .contains("operation 1")
                    .contains("STEP 'reserve'")
                    .contains("STEP 'charge'");
            assertThat(runtime.describe("o1").operations())
                    .extracting(o -> o.name() + " " + o.status())
                    .containsExactly("reserve SUCCEEDED", "charge SUCCEEDED", "cooling-off STARTED");
        }
        try (LocalRuntime runtime = open()) {
            runtime.register("order", String.class, String.class, original);
            assertThat(runtime.<String>execution("o1").result(TIMEOUT)).isEqualTo("reservechargeship");
        }
        assertThat(ran("reserve")).isOne();
        assertThat(ran("charge")).isOne();
        assertThat(ran("ship")).isOne();
    }

    @Test
    void aStepAddedAfterTheLastJournaledOperationRunsForExecutionsInFlightAndFinishedOnesKeepTheirResult() {
        DurableHandler<String, String> original = (in, ctx) -> {
            String r = step(ctx, "reserve");
            if (!in.equals("quick")) {
                ctx.wait("cooling-off", Duration.ofHours(1));
            }
            return r;
        };
        DurableHandler<String, String> extended = (in, ctx) -> {
            String r = step(ctx, "reserve");
            if (!in.equals("quick")) {
                ctx.wait("cooling-off", Duration.ofHours(1));
            }
            return r + "+" + step(ctx, "gift-wrap");
        };
        try (LocalRuntime runtime = open()) {
            runtime.register("order", String.class, String.class, original);
            assertThat(runtime.<String>start("order", "finished", "quick").result(TIMEOUT))
                    .isEqualTo("reserve");
            runtime.start("order", "in-flight", "slow");
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
        }
        clock.advance(Duration.ofHours(2));
        try (LocalRuntime runtime = open()) {
            runtime.register("order", String.class, String.class, extended);
            assertThat(runtime.<String>execution("in-flight").result(TIMEOUT)).isEqualTo("reserve+gift-wrap");
            assertThat(runtime.<String>execution("finished").result(TIMEOUT)).isEqualTo("reserve");
        }
        assertThat(ran("reserve")).isEqualTo(2);
        assertThat(ran("gift-wrap")).isOne();
    }
}
