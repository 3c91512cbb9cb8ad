package dev.durable.cli;

import dev.durable.JournalException;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.admin.EndpointFile;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.runtime.local.journal.JournalLock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --journal DIR} option every command takes, and opening the journal behind it safely. */
final class JournalDirectory {
    /** Long enough that opening never forgets a finished execution: only {@code compact} removes any. */
    private static final Duration KEEP_EVERYTHING = Duration.ofDays(365L * 10_000);

    @Option(
            names = "--journal",
            paramLabel = "DIR",
            defaultValue = ".durable",
            description = "The journal directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The admin endpoint of a running application (runtime.serveAdmin()); found through the"
                    + " journal directory when the application runs there.")
    URI url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "The admin endpoint's token (default: $DURABLE_ADMIN_TOKEN, or the journal directory's"
                    + " endpoint file).")
    String token;

    /**
     * The running application to work through, if any: the one named by {@code --url}, or the one that holds the
     * journal and announced its admin endpoint in the directory. Empty when the journal is free (the commands then
     * open it themselves).
     */
    Optional<LiveApplication> live() {
        String given = token != null ? token : System.getenv("DURABLE_ADMIN_TOKEN");
        if (url != null) {
            if (given == null) {
                given = EndpointFile.read(path())
                        .filter(e -> e.uri().equals(url))
                        .map(EndpointFile.Endpoint::token)
                        .orElseThrow(() -> CommandFailure.usage("--url needs --token (or $DURABLE_ADMIN_TOKEN)"));
            }
            return Optional.of(new LiveApplication(url, given));
        }
        if (!Files.isDirectory(path()) || JournalLock.holder(path()).isEmpty()) {
            return Optional.empty();
        }
        String t = given;
        return EndpointFile.read(path()).map(e -> new LiveApplication(e.uri(), t != null ? t : e.token()));
    }

    /** The token to show with a console address: {@code --token}, the environment's, or the endpoint file's. */
    Optional<String> endpointToken() {
        if (token != null) {
            return Optional.of(token);
        }
        String env = System.getenv("DURABLE_ADMIN_TOKEN");
        return env != null ? Optional.of(env) : EndpointFile.read(path()).map(EndpointFile.Endpoint::token);
    }

    Path path() {
        return directory.toAbsolutePath().normalize();
    }

    /** Refuses a directory that does not hold a journal, so that no command creates one by accident. */
    void requireJournal() {
        Path dir = path();
        if (!Files.isDirectory(dir)) {
            throw CommandFailure.usage("there is no journal at " + dir + " (no such directory); pass the directory"
                    + " the application opens with LocalRuntime.open(...) as --journal DIR");
        }
        try (DirectoryStream<Path> segments = Files.newDirectoryStream(dir, "segment-*.log")) {
            if (!segments.iterator().hasNext()) {
                throw CommandFailure.usage("there is no journal at " + dir + " (the directory holds no segment files);"
                        + " pass the directory the application opens with LocalRuntime.open(...) as --journal DIR");
            }
        } catch (IOException e) {
            throw new CommandFailure(
                    ExitCodes.CORRUPT,
                    "cannot read the journal directory " + dir + ": " + e + "; check its permissions");
        }
    }

    /**
     * Opens the journal as a runtime with no function registered: nothing runs, recovery only loads, and nothing is
     * forgotten by retention.
     *
     * @param otherwise what the user can do instead while the application holds the journal
     */
    OpenJournal open(String otherwise) {
        return open(otherwise, FileJournalOptions.defaults().automaticCompaction(false));
    }

    OpenJournal open(String otherwise, FileJournalOptions options) {
        requireJournal();
        refuseIfLocked(otherwise);
        try {
            return new OpenJournal(
                    path(),
                    LocalRuntime.builder()
                            .directory(path())
                            .journalOptions(options)
                            .retention(KEEP_EVERYTHING)
                            .open());
        } catch (JournalException e) {
            refuseIfLocked(otherwise); // the application may have started in between
            throw e;
        }
    }

    /**
     * Opens the journal read-only for inspection: no lock file is created and nothing is written, so it works on a
     * copy, a backup or a read-only mount. Refused (exit code 3) while a process has the journal open for writing.
     *
     * @param otherwise what the user can do instead while the application holds the journal
     */
    InspectedJournal inspect(String otherwise) {
        requireJournal();
        refuseIfLocked(otherwise);
        try {
            return new InspectedJournal(path(), FileJournal.openReadOnly(path()));
        } catch (JournalException e) {
            refuseIfLocked(otherwise); // the application may have started in between
            throw e;
        }
    }

    /** Fails with {@link ExitCodes#LOCKED} if a process holds the journal. */
    void refuseIfLocked(String otherwise) {
        Optional<JournalLock.Holder> holder = JournalLock.holder(path());
        if (holder.isPresent()) {
            JournalLock.Holder h = holder.get();
            String who =
                    h.pid() < 0 ? "another process" : "process " + h.pid() + (h.thisProcess() ? " (this one)" : "");
            throw new CommandFailure(
                    ExitCodes.LOCKED,
                    "the journal at " + path() + " is in use by " + who
                            + "; stop it, serve its admin endpoint (runtime.serveAdmin()) so that this command works through"
                            + " it, or " + otherwise);
        }
    }
}
