package dev.durable.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fail-callback",
        header = "Fail a waiting callback with an error.",
        description = {"The failure is journaled; the waiting code gets a CallbackFailedException with this error"
                + " type and message when the application next opens the journal."})
final class FailCallbackCommand extends JournalCommand {
    @Parameters(paramLabel = "CALLBACK_ID", description = "The callback's id, as `show` prints it.")
    String callbackId;

    @Option(names = "--message", paramLabel = "TEXT", required = true, description = "Why the callback failed.")
    String message;

    @Option(names = "--error-type", paramLabel = "TYPE", defaultValue = "CallbackError",
            description = "The error type the waiting code sees (default: ${DEFAULT-VALUE}).")
    String errorType;

    @Override
    public Integer call() {
        PayloadLimit.check("the --message", message);
        PayloadLimit.check("the --error-type", errorType);
        try (OpenJournal j = journal.open("fail the callback through the application (runtime.failCallback)")) {
            String where = j.describeCallback(callbackId);
            j.runtime().failCallback(callbackId, errorType, message);
            out().println("failed " + where + " with " + errorType + ": " + message + "; the application continues"
                    + " the execution when it next opens the journal");
        }
        return ExitCodes.OK;
    }
}
