package dev.durable;

/**
 * The rules for names of executions, functions and operations: well-formed Unicode (no unpaired UTF-16
 * surrogate), no control or format characters, not blank, and at most {@link #MAX_LENGTH} characters. A name that
 * breaks them is refused where it is given, before anything is journaled, so that no two names can collide in the
 * journal's UTF-8 and every name can be typed back into the CLI.
 */
public final class Names {
    /** The longest name accepted, in UTF-16 code units. */
    public static final int MAX_LENGTH = 256;

    private Names() {}

    /** Checks an execution name; throws {@link IllegalArgumentException} saying what is wrong. */
    public static String checkExecution(String name) {
        return check("execution name", "executionName", name);
    }

    /** Checks a function name. */
    public static String checkFunction(String name) {
        return check("function name", "functionName", name);
    }

    /** Checks a callback id as given by an outside caller (it is shown back in messages and logs). */
    public static String checkCallbackId(String id) {
        return check("callback id", "callbackId", id);
    }

    /** Checks an operation name; {@code null} is allowed (the operation is then identified by its id alone). */
    public static String checkOperation(String name) {
        return name == null ? null : check("operation name", "name", name);
    }

    private static String check(String what, String parameter, String name) {
        if (name == null) {
            throw new NullPointerException(parameter + " must not be null");
        }
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + quote(name) + " is not accepted: " + problem
                    + ". Names are well-formed Unicode of 1 to " + MAX_LENGTH
                    + " characters without control or format characters");
        }
        return name;
    }

    /** What is wrong with {@code name}, or {@code null} if it is a valid name. */
    static String problem(String name) {
        if (name.isBlank()) {
            return "it is empty or blank";
        }
        if (name.length() > MAX_LENGTH) {
            return "it is " + name.length() + " characters long";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "it has an unpaired UTF-16 surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "it has an unpaired UTF-16 surrogate at index " + i;
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT) {
                return String.format("it has the control or format character U+%04X at index %d", (int) c, i);
            }
        }
        return null;
    }

    /** The name quoted with anything unprintable escaped, safe to put in a message or a log line. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(name.length(), 80);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            int type = Character.getType(c);
            if (Character.isSurrogate(c) || type == Character.CONTROL || type == Character.FORMAT) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (shown < name.length()) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
