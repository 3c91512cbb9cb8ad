package dev.durable.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
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

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    final String traceId;
    private final long seed;
    private volatile SpanContext workflow;

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
        return hex(feed(seed ^ FNV_OFFSET, key));
    }

    SpanContext context(String key) {
        return new DerivedSpanContext(traceId, spanId(key));
    }

    /** The execution's root span, {@code Workflow}. */
    SpanContext workflow() {
        SpanContext w = workflow;
        if (w == null) {
            w = context("workflow");
            workflow = w;
        }
        return w;
    }

    /** The span of operation {@code id}: the span of key {@code op:<id>}, hashed without building the key. */
    SpanContext operation(String id) {
        return new DerivedSpanContext(traceId, hex(feed(feed(seed ^ FNV_OFFSET, "op:"), id)));
    }

    /** The span of an attempt: key {@code attempt:<op id>:<attempt>:<epoch second>.<nano>}, hashed in place. */
    SpanContext attempt(String operationId, int attempt, Instant startedAt) {
        long h = feed(feed(seed ^ FNV_OFFSET, "attempt:"), operationId);
        h = feedDecimal(feed(h, ':'), attempt);
        h = feedDecimal(feed(h, ':'), startedAt.getEpochSecond());
        h = feedDecimal(feed(h, '.'), startedAt.getNano());
        return new DerivedSpanContext(traceId, hex(h));
    }

    private static long feed(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    private static long feed(long h, char c) {
        return (h ^ c) * FNV_PRIME;
    }

    /** Feeds the characters of {@code v} in decimal, as {@link Long#toString(long)} writes them. */
    private static long feedDecimal(long h, long v) {
        if (v < 0) {
            return feed(h, Long.toString(v));
        }
        char[] digits = new char[19];
        int start = digits.length;
        do {
            digits[--start] = (char) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start; i < digits.length; i++) {
            h = (h ^ digits[i]) * FNV_PRIME;
        }
        return h;
    }

    /** SplitMix64's finalizer over the hash, as 16 hex digits; never the invalid id of zeros. */
    private static String hex(long h) {
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return HEX.toHexDigits(h == 0 ? 1 : h);
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
