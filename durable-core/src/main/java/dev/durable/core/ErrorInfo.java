package dev.durable.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A journaled failure: the exception's class name, message and stack. Replay rebuilds the original exception type
 * from it where that type is a {@link Throwable} with a usable constructor; the journal never makes the runtime
 * instantiate anything else.
 *
 * @param type fully qualified class name of the exception
 * @param message its message, or {@code null}
 * @param stack the stack trace as printed, one frame a line
 * @param cause the cause, or {@code null}
 */
public record ErrorInfo(String type, String message, List<String> stack, ErrorInfo cause) {
    private static final int MAX_FRAMES = 64;
    private static final int MAX_CAUSES = 4;

    /** Captures {@code t} (and up to four causes). */
    public static ErrorInfo of(Throwable t) {
        return of(t, 0);
    }

    private static ErrorInfo of(Throwable t, int depth) {
        List<String> frames = new ArrayList<>();
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < trace.length && i < MAX_FRAMES; i++) {
            frames.add(trace[i].toString());
        }
        if (t instanceof CallbackFailedException c && c.error() != null) {
            // what the outside world sent stays in the fields, not only inside a decorated message
            return new ErrorInfo(c.errorType(), c.errorMessage(), frames, null);
        }
        ErrorInfo cause = t.getCause() != null && t.getCause() != t && depth < MAX_CAUSES
                ? of(t.getCause(), depth + 1) : null;
        return new ErrorInfo(t.getClass().getName(), t.getMessage(), frames, cause);
    }

    /** An error sent from outside, such as {@code failCallback(id, type, message)}. */
    public static ErrorInfo of(String type, String message) {
        return new ErrorInfo(type, message, List.of(), null);
    }

    /** {@code type: message}, as a log line would show it. */
    public String summary() {
        return message == null ? type : type + ": " + message;
    }

    /**
     * Rebuilds the exception: the original type when {@code loader} can load it, it is a {@link Throwable} and it
     * has a {@code (String)}, {@code (String, Throwable)} or no-argument constructor; otherwise a
     * {@link StepFailedException} carrying this information. The stack is restored either way.
     */
    public Throwable rebuild(ClassLoader loader) {
        Throwable cause = this.cause == null ? null : this.cause.rebuild(loader);
        Throwable t = instantiate(loader, cause);
        if (t == null) {
            t = new StepFailedException(summary(), this, cause);
        }
        t.setStackTrace(stackElements());
        return t;
    }

    private Throwable instantiate(ClassLoader loader, Throwable cause) {
        try {
            Class<?> c = Class.forName(type, false, loader);
            if (!Throwable.class.isAssignableFrom(c)) {
                return null;
            }
            Class<? extends Throwable> tc = c.asSubclass(Throwable.class);
            Throwable t;
            try {
                t = tc.getConstructor(String.class, Throwable.class).newInstance(message, cause);
                return t;
            } catch (NoSuchMethodException ignored) {
                // try the next shape
            }
            try {
                t = tc.getConstructor(String.class).newInstance(message);
            } catch (NoSuchMethodException e) {
                if (message != null) {
                    return null;
                }
                t = tc.getConstructor().newInstance();
            }
            if (cause != null && t.getCause() == null) {
                try {
                    t.initCause(cause);
                } catch (IllegalStateException ignored) {
                    // the type fixes its own cause
                }
            }
            return t;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private StackTraceElement[] stackElements() {
        List<StackTraceElement> out = new ArrayList<>();
        for (String frame : stack) {
            StackTraceElement e = parseFrame(frame);
            if (e != null) {
                out.add(e);
            }
        }
        return out.toArray(StackTraceElement[]::new);
    }

    // Parses "pkg.Class.method(File.java:12)" as printed by StackTraceElement.toString().
    private static StackTraceElement parseFrame(String frame) {
        int open = frame.indexOf('(');
        if (open < 0 || !frame.endsWith(")")) {
            return null;
        }
        String qualified = frame.substring(0, open);
        int slash = qualified.lastIndexOf('/');
        qualified = qualified.substring(slash + 1);
        int dot = qualified.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String location = frame.substring(open + 1, frame.length() - 1);
        String file = null;
        int line = -1;
        int colon = location.lastIndexOf(':');
        if (colon > 0) {
            file = location.substring(0, colon);
            try {
                line = Integer.parseInt(location.substring(colon + 1));
            } catch (NumberFormatException e) {
                file = location;
            }
        } else if (!location.equals("Unknown Source") && !location.equals("Native Method")) {
            file = location;
        } else if (location.equals("Native Method")) {
            line = -2;
        }
        return new StackTraceElement(qualified.substring(0, dot), qualified.substring(dot + 1), file, line);
    }

    /** The journaled stack as text, for logs and the inspector. */
    public String stackText() {
        StringWriter w = new StringWriter();
        PrintWriter p = new PrintWriter(w);
        p.println(summary());
        for (String f : stack) {
            p.println("\tat " + f);
        }
        if (cause != null) {
            p.print("Caused by: " + cause.stackText());
        }
        p.flush();
        return w.toString();
    }
}
