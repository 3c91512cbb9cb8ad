package dev.durable.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Trace and span ids derived from an execution's identity: its name and start time give the trace id, and the same
 * plus a span's key (the workflow, an operation id, an attempt) give the span id. Any process that runs or resumes the
 * execution derives the same ids, so all its spans join one tree.
 */
final class TraceIds {
    private static final HexFormat HEX = HexFormat.of();

    private TraceIds() {}

    /** The trace of the execution {@code name} started at {@code startedAt}. */
    static String traceId(String name, Instant startedAt) {
        return hex(digest(name, startedAt, "trace"), 16);
    }

    /** A span of that execution, by key: {@code workflow}, {@code op:<id>}, {@code attempt:<id>:<n>:<nanos>}. */
    static String spanId(String name, Instant startedAt, String key) {
        return hex(digest(name, startedAt, key), 8);
    }

    static SpanContext context(String name, Instant startedAt, String key) {
        return SpanContext.create(traceId(name, startedAt), spanId(name, startedAt, key), TraceFlags.getSampled(),
                TraceState.getDefault());
    }

    private static byte[] digest(String name, Instant startedAt, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(startedAt.toString().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes, int length) {
        // an id of zeros is invalid in OpenTelemetry; a digest that starts so is practically never seen, but is fixed
        bytes[length - 1] |= allZero(bytes, length) ? 1 : 0;
        return HEX.formatHex(bytes, 0, length);
    }

    private static boolean allZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
