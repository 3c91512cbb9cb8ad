package dev.durable.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "complete-callback",
        header = "Complete a waiting callback with a JSON payload.",
        description = {
            "The completion is journaled; the application continues the execution when it next opens" + " the journal.",
            "The payload is checked against the type the waiting code expects when that type can be resolved"
                    + " here (JDK types; application classes only if they are on the class path).",
            "A payload over the runtime's default payload limit (256 KiB) is refused as too large (exit code 1)."
        })
final class CompleteCallbackCommand extends JournalCommand {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(paramLabel = "CALLBACK_ID", description = "The callback's id, as `show` prints it.")
    String callbackId;

    @ArgGroup(multiplicity = "1")
    Payload payload;

    static final class Payload {
        @Option(
                names = "--payload",
                paramLabel = "JSON",
                required = true,
                description = "The payload as JSON, e.g. '{\"approved\":true}' or '\"yes\"'.")
        String json;

        @Option(
                names = "--payload-file",
                paramLabel = "FILE",
                required = true,
                description = "A file holding the JSON payload; - reads standard input.")
        Path file;
    }

    @Override
    public Integer call() {
        callbackId = callbackId(callbackId);
        String json = payloadJson();
        Optional<LiveApplication> live = journal.live();
        if (live.isPresent()) {
            live.get().completeCallback(callbackId, json);
            out().println("completed callback " + callbackId + " through the running application at "
                    + live.get().uri() + "; the execution continues now");
            return ExitCodes.OK;
        }
        try (OpenJournal j = journal.open("complete the callback through the application (runtime.completeCallback)")) {
            String where = j.describeCallback(callbackId);
            j.runtime().completeCallbackJson(callbackId, json);
            out().println("completed " + where + "; the application continues the execution when it next opens"
                    + " the journal");
        }
        return ExitCodes.OK;
    }

    private String payloadJson() {
        String text;
        String source;
        if (payload.json != null) {
            text = payload.json;
            source = "--payload";
        } else {
            source = "--payload-file " + payload.file;
            try {
                if (payload.file.toString().equals("-")) {
                    text = PayloadLimit.read("the payload of " + source, System.in);
                } else {
                    try (InputStream in = Files.newInputStream(payload.file)) {
                        text = PayloadLimit.read("the payload of " + source, in);
                    }
                }
            } catch (IOException e) {
                throw CommandFailure.usage("cannot read the payload file " + payload.file + ": " + e
                        + "; pass a readable file, or the JSON itself with --payload");
            }
        }
        PayloadLimit.check("the payload of " + source, text.strip());
        try {
            if (text.isBlank() || MAPPER.readTree(text).isMissingNode()) {
                throw CommandFailure.usage("the payload of " + source + " is empty; pass a JSON document, e.g."
                        + " '{\"approved\":true}', or null");
            }
        } catch (JsonProcessingException e) {
            throw CommandFailure.usage("the payload of " + source + " is not valid JSON ("
                    + e.getOriginalMessage() + "); pass a JSON document, e.g. '{\"approved\":true}', and quote"
                    + " strings: '\"yes\"'");
        }
        return text.strip();
    }
}
