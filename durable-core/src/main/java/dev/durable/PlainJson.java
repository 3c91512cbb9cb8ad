package dev.durable;

import java.lang.reflect.Type;

/**
 * The JSON of the plainest values, read and written exactly as the default mapper does, without it: integers, longs,
 * booleans, and strings with nothing to escape. Replaying a step that returned a count or an id then costs a parse of
 * a few characters instead of a Jackson parser. Anything else, and anything unusual about these (a leading zero,
 * {@code null}, whitespace, an escape), is left to Jackson.
 */
final class PlainJson {
    /** What {@link #read} returns for text it leaves to Jackson. */
    static final Object UNREAD = new Object();

    private PlainJson() {}

    /** {@code value} as JSON, or {@code null} to leave it to Jackson. */
    static String write(Object value, Type type) {
        if (value instanceof Integer && (type == Integer.class || type == int.class)
                || value instanceof Long && (type == Long.class || type == long.class)
                || value instanceof Boolean && (type == Boolean.class || type == boolean.class)) {
            return value.toString();
        }
        if (value instanceof String s && type == String.class && nothingToEscape(s, 0, s.length())) {
            return '"' + s + '"';
        }
        return null;
    }

    /** The value {@code json} holds as {@code type}, or {@link #UNREAD} to leave it to Jackson. */
    static Object read(String json, Type type) {
        if (type == Integer.class || type == int.class) {
            long v = integer(json, 10);
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : UNREAD;
        }
        if (type == Long.class || type == long.class) {
            long v = integer(json, 18);
            return v != Long.MIN_VALUE ? (Object) v : UNREAD;
        }
        if (type == Boolean.class || type == boolean.class) {
            return json.equals("true") ? Boolean.TRUE : json.equals("false") ? Boolean.FALSE : UNREAD;
        }
        if (type == String.class) {
            int n = json.length();
            return n >= 2 && json.charAt(0) == '"' && json.charAt(n - 1) == '"' && nothingToEscape(json, 1, n - 1)
                    ? json.substring(1, n - 1)
                    : UNREAD;
        }
        return UNREAD;
    }

    /**
     * The integer {@code json} spells with at most {@code maxDigits} digits, an optional minus and no leading zero;
     * {@link Long#MIN_VALUE} for anything else.
     */
    private static long integer(String json, int maxDigits) {
        int n = json.length();
        int i = n > 0 && json.charAt(0) == '-' ? 1 : 0;
        int digits = n - i;
        if (digits < 1 || digits > maxDigits || json.charAt(i) == '0' && (digits > 1 || i == 1)) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < n; i++) {
            char c = json.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return json.charAt(0) == '-' ? -v : v;
    }

    private static boolean nothingToEscape(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
