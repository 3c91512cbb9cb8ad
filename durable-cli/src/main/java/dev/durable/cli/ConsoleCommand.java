package dev.durable.cli;

import dev.durable.runtime.local.admin.AdminServer;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "console",
        header = "Open the web console of a journal.",
        description = {
            "While the application runs and serves its admin endpoint, prints the address of its console"
                    + " (with the token, in the part of the address browsers never send)."
                    + " Otherwise opens the journal itself, serves the console on 127.0.0.1 until interrupted (Ctrl-C),"
                    + " and prints its address: completions, cancels and retries made there are journaled, and the"
                    + " application continues them when it next opens the journal."
        })
final class ConsoleCommand extends JournalCommand {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "The port to serve on when the application does not run (default: a free one).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            String token = journal.endpointToken().orElse("<token>");
            out().println("the application serves its console at " + live.get().uri() + "#token=" + token);
            return ExitCodes.OK;
        }
        try (OpenJournal j = journal.open("open the console of the running application (runtime.serveAdmin())");
                AdminServer admin =
                        j.runtime().serveAdmin(AdminServer.Options.defaults().port(port))) {
            out().println("console at " + admin.consoleUri() + " (Ctrl-C to stop)");
            out().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(stopped::countDown, "durable-console-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the resources close on the way out
                }
            }
        }
        return ExitCodes.OK;
    }
}
