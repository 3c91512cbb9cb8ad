package dev.durable.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Trace and span ids derived from an execution's identity, so that any process that runs or resumes the execution
 * derives the same ones and all its spans join one tree. The trace id is the first 16 bytes of
 * SHA-256(name, start time, "trace"); a span id is a 64-bit FNV-1a hash of the span's key ({@code workflow},
 * {@code op:<id>}, ...), seeded from SHA-256(name, start time, "span") and mixed with SplitMix64's finalizer. The digest
 * runs once per execution; a span id costs a few multiplications per character of its key.
 */
final class TraceIds {
    private static final HexFormat HEX = HexFormat.of();

    final String traceId;
    private final long seed;

    private TraceIds(String traceId, long seed) {
        this.traceId = traceId;
        this.seed = seed;
    }

    static TraceIds of(String name, Instant startedAt) {
        byte[] trace = digest(name, startedAt, "trace");
        if (allZero(trace, 16)) {
            trace[15] = 1; // an id of zeros is invalid in OpenTelemetry
        }
        return new TraceIds(
                HEX.formatHex(trace, 0, 16),
                ByteBuffer.wrap(digest(name, startedAt, "span")).getLong());
    }

    /** The id of the span with {@code key} in this execution's trace. */
    String spanId(String key) {
        long h = seed ^ 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return HEX.toHexDigits(h == 0 ? 1 : h);
    }

    SpanContext context(String key) {
        return SpanContext.create(traceId, spanId(key), TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static byte[] digest(String name, Instant startedAt, String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(startedAt.toString().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(purpose.getBytes(StandardCharsets.US_ASCII));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
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
