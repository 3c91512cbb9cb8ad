package dev.durable.cli;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "fail-callback",
        header = "Fail a waiting callback with an error.",
        description = {
            "The failure is journaled; the waiting code gets a CallbackFailedException with this error"
                    + " type, message and data when the application next opens the journal."
        })
final class FailCallbackCommand extends JournalCommand {
    @Parameters(paramLabel = "CALLBACK_ID", description = "The callback's id, as `show` prints it.")
    String callbackId;

    @Option(names = "--message", paramLabel = "TEXT", required = true, description = "Why the callback failed.")
    String message;

    @Option(
            names = "--error-type",
            paramLabel = "TYPE",
            defaultValue = "CallbackError",
            description = "The error type the waiting code sees (default: ${DEFAULT-VALUE}).")
    String errorType;

    @Option(
            names = "--error-data",
            paramLabel = "TEXT",
            description = "Data sent with the failure (often JSON); the waiting code reads it as errorData().")
    String errorData;

    @Override
    public Integer call() {
        callbackId = callbackId(callbackId);
        PayloadLimit.check("the --message", message);
        PayloadLimit.check("the --error-type", errorType);
        PayloadLimit.check("the --error-data", errorData);
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            live.get().failCallback(callbackId, errorType, message, errorData);
            out().println("failed callback " + callbackId + " with " + errorType + ": " + message
                    + " through the running" + " application at " + live.get().uri() + "; the execution continues now");
            return ExitCodes.OK;
        }
        try (OpenJournal j = journal.open("fail the callback through the application (runtime.failCallback)")) {
            String where = j.describeCallback(callbackId);
            j.runtime().failCallback(callbackId, errorType, message, errorData);
            out().println("failed " + where + " with " + errorType + ": " + message + "; the application continues"
                    + " the execution when it next opens the journal");
        }
        return ExitCodes.OK;
    }
}
