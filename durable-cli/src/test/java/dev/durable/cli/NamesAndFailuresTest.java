package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.CallbackFailedException;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad names at the command line, structured callback failures, and each attempt of a step in `show`. */
class NamesAndFailuresTest {
    @TempDir
    Path dir;

    @Test
    void aBadExecutionNameOrCallbackIdIsAUsageErrorSayingWhy() {
        SampleJournal.create(dir);
        for (String bad : List.of("bad\uD800", "tab\there", " ", "x".repeat(300))) {
            for (String command : List.of("show", "cancel", "retry")) {
                Cli r = Cli.on(dir, command, bad);
                assertThat(r.exitCode()).as(command + " " + r).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err()).contains("execution name").contains("is not accepted");
            }
            Cli r = Cli.on(dir, "complete-callback", bad, "--payload", "true");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("callback id").doesNotContain("\t");
        }
    }

    @Test
    void failCallbackSendsTypeMessageAndDataThatTheHandlerReads() {
        String[] id = new String[1];
        try (LocalRuntime rt = LocalRuntime.open(dir)) {
            register(rt, id);
            rt.start("approve", "a-1", "in");
            rt.awaitIdle(Duration.ofSeconds(20));
        }

        Cli r = Cli.on(
                dir,
                "fail-callback",
                id[0],
                "--error-type",
                "Rejected",
                "--message",
                "no budget",
                "--error-data",
                "{\"limit\":10}");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (LocalRuntime rt = LocalRuntime.open(dir)) {
            register(rt, id);
            assertThat(rt.<String>execution("a-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("Rejected|no budget|{\"limit\":10}");
        }
    }

    private static void register(LocalRuntime rt, String[] id) {
        rt.register("approve", String.class, String.class, (in, ctx) -> {
            try {
                return ctx.waitForCallback("manager", String.class, (cb, s) -> id[0] = cb, CallbackConfig.defaults());
            } catch (CallbackFailedException e) {
                return e.errorType() + "|" + e.errorMessage() + "|" + e.errorData();
            }
        });
    }

    @Test
    void showListsEachAttemptOfAStepThatSucceededAfterARetry() {
        AtomicInteger calls = new AtomicInteger();
        try (LocalRuntime rt = LocalRuntime.open(dir)) {
            rt.register(
                    "flaky",
                    String.class,
                    String.class,
                    (in, ctx) -> ctx.step(
                            "call",
                            String.class,
                            s -> {
                                if (calls.incrementAndGet() == 1) {
                                    throw new IllegalStateException("service unavailable");
                                }
                                return "ok";
                            },
                            StepConfig.builder()
                                    .retry(RetryPolicy.builder()
                                            .initialDelay(Duration.ofMillis(1))
                                            .build())
                                    .build()));
            assertThat(rt.<String>start("flaky", "f-1", "in").result(Duration.ofSeconds(20)))
                    .isEqualTo("ok");
        }

        Cli text = Cli.on(dir, "show", "f-1");
        Cli json = Cli.on(dir, "show", "f-1", "--json");

        assertThat(text.out())
                .contains("attempt 1 RETRY")
                .contains("IllegalStateException: service unavailable")
                .contains("attempt 2 SUCCEEDED");
        assertThat(json.out())
                .contains("\"attempts\"")
                .contains("\"status\" : \"RETRY\"")
                .contains("\"error\" : null");
    }
}
