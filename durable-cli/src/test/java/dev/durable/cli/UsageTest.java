package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {"list", "show", "complete-callback", "fail-callback", "cancel", "retry", "verify", "compact"})
    void everyCommandHasHelpAndTakesTheJournalOption(String command) {
        Cli r = Cli.run(command, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: durable " + command, "--journal=DIR", "(default: .durable)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheCommandsAndExitCodes() {
        Cli r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains(
                        "list",
                        "show",
                        "complete-callback",
                        "fail-callback",
                        "cancel",
                        "retry",
                        "verify",
                        "compact",
                        "check-compat",
                        "Exit codes:",
                        "3  the journal is in use",
                        "5  check-compat: an execution in flight does not replay");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli r = Cli.run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: name a command: list, show,");
    }

    @Test
    void anUnknownOptionIsAUsageErrorOnOneLine() {
        Cli r = Cli.run("list", "--colour");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: Unknown option: '--colour'; run 'durable list --help' for usage\n");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        Cli r = Cli.run("show");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Missing required parameter: 'EXECUTION'");
    }

    @Test
    void anUnknownStatusIsAUsageError() {
        Cli r = Cli.on(dir, "list", "--status", "sleeping");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("sleeping").contains("RUNNING, WAITING, BLOCKED, SUCCEEDED, FAILED, CANCELLED");
    }

    @Test
    void aDirectoryThatIsNoJournalIsAUsageErrorAndStaysUntouched() throws Exception {
        Cli missing = Cli.on(dir.resolve("nope"), "list");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err())
                .startsWith("error: there is no journal at " + dir.resolve("nope") + " (no such directory)");
        assertThat(dir.resolve("nope")).doesNotExist();

        Cli empty = Cli.on(dir, "complete-callback", "x", "--payload", "1");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("holds no segment files");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void versionComesFromTheJarManifest() {
        Cli r = Cli.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("durable-cli ");
    }
}
