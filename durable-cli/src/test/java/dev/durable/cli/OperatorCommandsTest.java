package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that change the journal, and what the application makes of it on its next start. */
class OperatorCommandsTest {
    @TempDir
    Path dir;

    SampleJournal journal;

    @BeforeEach
    void writeJournal() {
        journal = SampleJournal.create(dir);
    }

    @Test
    void aCallbackCompletedFromTheCliIsHonouredWhenTheApplicationStartsAgain() {
        String id = journal.callbackOf("order-1");

        Cli r = Cli.on(dir, "complete-callback", id, "--payload", "{\"approved\":true}");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("completed callback " + id + " (operation 2 CALLBACK 'approval' of execution"
                        + " 'order-1'); the application continues the execution when it next opens the journal");
        assertThat(Cli.on(dir, "list", "--status", "running").out()).contains("order-1");
        try (LocalRuntime app = journal.reopen(false)) {
            assertThat(app.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("shipped R-o1");
        }
    }

    @Test
    void aPayloadMayComeFromAFile() throws Exception {
        Path payload =
                Files.writeString(dir.resolveSibling(dir.getFileName() + "-payload.json"), "{\"approved\":false}");

        Cli r = Cli.on(dir, "complete-callback", journal.callbackOf("order-1"), "--payload-file", payload.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (LocalRuntime app = journal.reopen(false)) {
            assertThat(app.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("refunded R-o1");
        }
    }

    @Test
    void aSecondCompletionIsRefusedWithExitCode1AndChangesNothing() {
        String id = journal.callbackOf("order-1");
        assertThat(Cli.on(dir, "complete-callback", id, "--payload", "{\"approved\":true}")
                        .exitCode())
                .isZero();

        Cli again = Cli.on(dir, "complete-callback", id, "--payload", "{\"approved\":false}");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err())
                .startsWith("error: callback " + id)
                .contains("already")
                .contains("changed nothing");
        assertThat(again.err().lines()).hasSize(1);
        try (LocalRuntime app = journal.reopen(false)) {
            assertThat(app.<String>execution("order-1").result(Duration.ofSeconds(20)))
                    .isEqualTo("shipped R-o1");
        }
    }

    @Test
    void anUnknownCallbackIsRefusedWithExitCode1() {
        Cli r = Cli.on(dir, "complete-callback", "no-such-id", "--payload", "true");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: no callback with id 'no-such-id'");
    }

    @Test
    void aPayloadOfTheWrongTypeIsRefusedWithExitCode1() {
        Cli r = Cli.on(dir, "complete-callback", journal.callbackOf("order-1"), "--payload", "{\"approved\":[1,2]}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("does not convert to").contains("Nothing was changed");
        assertThat(Cli.on(dir, "list", "--status", "waiting").out()).contains("order-1");
    }

    @Test
    void aPayloadThatIsNotJsonIsAUsageErrorWithExitCode2() {
        Cli r = Cli.on(dir, "complete-callback", journal.callbackOf("order-1"), "--payload", "yes please");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("error: the payload of --payload is not valid JSON")
                .contains("'\"yes\"'");
    }

    @Test
    void aPayloadOverTheLimitIsRefusedAsTooLargeNamingTheLimitAndChangesNothing() throws Exception {
        String id = journal.callbackOf("order-1");
        // Over the JSON parser's own limit on one string (20 million characters), which used to be reported as
        // "not valid JSON".
        Path huge = Files.writeString(
                dir.resolveSibling(dir.getFileName() + "-huge.json"), "\"" + "x".repeat(21_000_000) + "\"");
        String overLimit = "{\"approved\":true,\"note\":\"" + "y".repeat(300_000) + "\"}";

        for (Cli r : java.util.List.of(
                Cli.on(dir, "complete-callback", id, "--payload-file", huge.toString()),
                Cli.on(dir, "complete-callback", id, "--payload", overLimit),
                Cli.on(dir, "fail-callback", id, "--message", "z".repeat(300_000)))) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .as(r.toString())
                    .contains("too large")
                    .contains("limit of 262144 bytes")
                    .doesNotContain("not valid JSON");
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
        try (LocalRuntime app = journal.reopen(false)) {
            app.awaitIdle(Duration.ofSeconds(20));
            assertThat(app.execution("order-1").status())
                    .as("nothing was completed")
                    .isEqualTo(ExecutionStatus.WAITING);
        }
    }

    @Test
    void aFailedCallbackReachesTheWaitingCodeAsAFailure() {
        String id = journal.callbackOf("order-1");

        Cli r = Cli.on(dir, "fail-callback", id, "--message", "manager rejected", "--error-type", "Rejected");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("failed callback " + id).contains("Rejected: manager rejected");
        try (LocalRuntime app = journal.reopen(false)) {
            app.awaitIdle(Duration.ofSeconds(20));
            assertThat(app.execution("order-1").status()).isEqualTo(ExecutionStatus.FAILED);
        }
        assertThat(Cli.on(dir, "show", "order-1").out()).contains("Rejected", "manager rejected");
    }

    @Test
    void cancelEndsAWaitingExecutionAndTheApplicationDoesNotResumeIt() {
        Cli r = Cli.on(dir, "cancel", "order-1");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("cancelled execution 'order-1' (it was WAITING at operation 2 CALLBACK 'approval')");
        try (LocalRuntime app = journal.reopen(false)) {
            app.awaitIdle(Duration.ofSeconds(20));
            assertThat(app.execution("order-1").status()).isEqualTo(ExecutionStatus.CANCELLED);
        }
    }

    @Test
    void cancelOfAFinishedOrUnknownExecutionIsRefusedWithExitCode1() {
        Cli done = Cli.on(dir, "cancel", "echo-3");
        assertThat(done.exitCode()).isEqualTo(1);
        assertThat(done.err())
                .isEqualTo("error: execution 'echo-3' has already ended (SUCCEEDED); nothing was changed\n");

        Cli unknown = Cli.on(dir, "cancel", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: no execution named 'nope'");
    }

    @Test
    void retryRunsAFailedExecutionAgainFromItsLastGoodOperationOnTheNextStart() {
        Cli r = Cli.on(dir, "retry", "bad-2");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .isEqualTo("execution 'bad-2' will run again from operation 2 STEP 'charge' (1 succeeded"
                        + " operation is replayed) when the application next opens the journal and registers function"
                        + " 'order'\n");
        assertThat(Cli.on(dir, "list", "--status", "failed").out()).contains("no executions match");
        try (LocalRuntime app = journal.reopen(false)) {
            app.awaitIdle(Duration.ofSeconds(20));
            assertThat(app.execution("bad-2").status()).isEqualTo(ExecutionStatus.WAITING);
        }
        assertThat(Cli.on(dir, "show", "bad-2").out()).containsPattern("charge\\s+SUCCEEDED");
    }

    @Test
    void retryOfAnExecutionThatDidNotFailIsRefusedWithExitCode1() {
        Cli r = Cli.on(dir, "retry", "order-1");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: execution 'order-1' is WAITING; only a FAILED execution can be retried");
    }
}
