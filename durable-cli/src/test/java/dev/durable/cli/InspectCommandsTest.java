package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list and show only read, so one journal serves every test here. */
class InspectCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static SampleJournal journal;

    @BeforeAll
    static void writeJournal() {
        journal = SampleJournal.create(dir);
    }

    @Test
    void listShowsEachExecutionWithStatusFunctionStartAndCurrentOperation() {
        Cli r = Cli.on(dir, "list");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines())
                .first()
                .asString()
                .contains("EXECUTION", "FUNCTION", "STATUS", "STARTED", "CURRENT OPERATION");
        assertThat(r.out())
                .containsPattern("order-1\\s+order\\s+WAITING\\s+\\d{4}-\\d\\d-\\d\\dT.*CALLBACK 'approval'"
                        + " \\(waiting for callback\\)");
        assertThat(r.out()).containsPattern("bad-2\\s+order\\s+FAILED\\s+.*STEP 'charge' \\(failed\\)");
        assertThat(r.out()).containsPattern("echo-3\\s+echo\\s+SUCCEEDED\\s+\\S+\\s+-");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listFiltersByStatusAndFunction() {
        Cli failed = Cli.on(dir, "list", "--status", "failed");
        assertThat(failed.out()).contains("bad-2").doesNotContain("order-1").doesNotContain("echo-3");

        Cli two = Cli.on(dir, "list", "--status", "WAITING,succeeded");
        assertThat(two.out()).contains("order-1", "echo-3").doesNotContain("bad-2");

        Cli echo = Cli.on(dir, "list", "--function", "echo");
        assertThat(echo.out()).contains("echo-3").doesNotContain("order-1");

        Cli none = Cli.on(dir, "list", "--function", "echo", "--status", "failed");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).contains("no executions match");
    }

    @Test
    void listJsonIsAnArrayForScripts() throws Exception {
        Cli r = Cli.on(dir, "list", "--json", "--status", "waiting");

        JsonNode array = JSON.readTree(r.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
        JsonNode e = array.get(0);
        assertThat(e.get("name").asText()).isEqualTo("order-1");
        assertThat(e.get("status").asText()).isEqualTo("WAITING");
        assertThat(e.at("/currentOperation/type").asText()).isEqualTo("CALLBACK");
        assertThat(e.at("/currentOperation/callbackId").asText()).isEqualTo(journal.callbackOf("order-1"));
    }

    @Test
    void showPrintsATimelineWithAttemptsDurationsCallbacksAndErrors() {
        Cli waiting = Cli.on(dir, "show", "order-1");
        assertThat(waiting.exitCode()).as(waiting.toString()).isZero();
        assertThat(waiting.out())
                .containsPattern("status\\s+WAITING")
                .contains("input", "\"o1\"")
                .containsPattern("1\\s+STEP\\s+reserve\\s+SUCCEEDED\\s+\\+\\d+ ms\\s+attempt 1, succeeded")
                .contains("result \"R-o1\"")
                .contains("callback " + journal.callbackOf("order-1") + "; waiting, times out ");

        Cli failed = Cli.on(dir, "show", "bad-2");
        assertThat(failed.out())
                .containsPattern("status\\s+FAILED")
                .containsPattern("error\\s+java.lang.IllegalStateException: card declined")
                .containsPattern("2\\s+STEP\\s+charge\\s+FAILED\\s+\\+\\d+ ms\\s+attempt 1, failed")
                .containsPattern("\\n\\s+at dev\\.durable\\.cli\\.SampleJournal\\.")
                .containsPattern("\\.\\.\\. \\d+ more \\(--stack-lines N, or --json for all\\)");
    }

    @Test
    void showLimitsStackLinesOnRequest() {
        Cli r = Cli.on(dir, "show", "bad-2", "--stack-lines", "1");
        assertThat(r.out().lines().filter(l -> l.strip().startsWith("at "))).hasSize(1);
    }

    @Test
    void showJsonHoldsEveryOperationWithFullErrors() throws Exception {
        Cli r = Cli.on(dir, "show", "bad-2", "--json");

        JsonNode e = JSON.readTree(r.out());
        assertThat(e.get("status").asText()).isEqualTo("FAILED");
        assertThat(e.get("input").asText()).isEqualTo("bad");
        assertThat(e.at("/error/type").asText()).isEqualTo("java.lang.IllegalStateException");
        JsonNode charge = e.get("operations").get(1);
        assertThat(charge.get("name").asText()).isEqualTo("charge");
        assertThat(charge.get("status").asText()).isEqualTo("FAILED");
        assertThat(charge.get("attempt").asInt()).isEqualTo(1);
        assertThat(charge.get("durationMillis").isNumber()).isTrue();
        assertThat(charge.at("/error/message").asText()).isEqualTo("card declined");
        assertThat(charge.at("/error/stack").size()).isGreaterThan(3);
        assertThat(e.get("operations").get(0).get("result").asText()).isEqualTo("R-bad");
    }

    @Test
    void showOfAnUnknownExecutionIsRefusedWithExitCode1() {
        Cli r = Cli.on(dir, "show", "nope");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: no execution named 'nope'");
        assertThat(r.err().lines()).hasSize(1);
    }
}
