package dev.durable.cli;

import dev.durable.DurableRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The size limit of what the CLI journals for a callback: the runtime's default payload limit, which the runtime it
 * opens enforces too. Checked before anything is parsed or journaled, so that an oversized payload is reported as
 * too large, never as invalid JSON, and never read whole into memory.
 */
final class PayloadLimit {
    static final long BYTES = DurableRuntime.DEFAULT_PAYLOAD_LIMIT;
    /** How much more than the limit is read before giving up: room for whitespace around a payload that fits. */
    private static final int SLACK = 64 << 10;

    private PayloadLimit() {}

    /** Fails with exit code 1 if {@code text} is over the limit once encoded as UTF-8. */
    static void check(String what, String text) {
        if (text != null && (long) text.length() * 3 > BYTES) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > BYTES) {
                throw tooLarge(what, bytes + " bytes");
            }
        }
    }

    /** Reads {@code in} as UTF-8, but no more than the limit and some slack; fails with exit code 1 if it has more. */
    static String read(String what, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) BYTES + SLACK + 1);
        if (bytes.length > BYTES + SLACK) {
            throw tooLarge(what, "more than " + (BYTES + SLACK) + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static CommandFailure tooLarge(String what, String size) {
        return CommandFailure.refused(what + " is too large: " + size + ", over the payload limit of " + BYTES
                + " bytes; pass a smaller value (a reference to where the data is, for instance), or complete the"
                + " callback through the application, whose runtime may have a higher payloadLimit(...)");
    }
}
