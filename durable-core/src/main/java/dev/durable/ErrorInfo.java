package dev.durable;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A journaled failure: the exception's class name, message and stack. Replay rebuilds the original exception type
 * from it (see {@link #rebuild}), so a handler's {@code catch (OrderRejectedException e)} behaves the same on every
 * run. A journal is data that may have been edited, so the class it names is rebuilt only when all of these hold,
 * and otherwise the handler sees a {@link StepFailedException} carrying the journaled type, message and stack:
 * <ul>
 *   <li>the function's class loader resolves the name, checked with {@code Class.forName(name, false, loader)}, which
 *       runs no static initialiser: a class is initialised only when it passes every check and is instantiated;</li>
 *   <li>it is a public {@link Throwable} subclass (not abstract) with a public {@code (String, Throwable)},
 *       {@code (String, <cause's type>)} or {@code (String)} constructor, or, when there is no message, a public
 *       no-argument one;</li>
 *   <li>and either it is an application class, defined by the function's class loader or one of that loader's
 *       parents below the platform class loader, in an exported package and not in a JDK module ({@code java.*},
 *       {@code jdk.*}); or it is one of the common JDK exceptions in {@link #JDK_TYPES}. Other classes of the
 *       bootstrap and platform loaders (JDK internals, {@link Error}s such as {@link OutOfMemoryError}) are
 *       never instantiated.</li>
 * </ul>
 * Causes are rebuilt by the same rule, at most as deep as {@link #of(Throwable)} records them.
 *
 * @param type fully qualified class name of the exception
 * @param message its message, or {@code null}
 * @param stack the stack trace as printed, one frame a line
 * @param cause the cause, or {@code null}
 */
public record ErrorInfo(String type, String message, List<String> stack, ErrorInfo cause) implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_FRAMES = 64;
    private static final int MAX_CAUSES = 4;

    /**
     * The JDK exceptions that replay rebuilds as themselves, being what steps commonly throw and handlers catch.
     * Any other class of the bootstrap or platform class loader comes back as a {@link StepFailedException}.
     */
    public static final Set<String> JDK_TYPES = Set.of(
            "java.lang.Exception",
            "java.lang.RuntimeException",
            "java.lang.IllegalArgumentException",
            "java.lang.IllegalStateException",
            "java.lang.NullPointerException",
            "java.lang.UnsupportedOperationException",
            "java.lang.ArithmeticException",
            "java.lang.IndexOutOfBoundsException",
            "java.lang.ClassCastException",
            "java.lang.NumberFormatException",
            "java.lang.InterruptedException",
            "java.util.NoSuchElementException",
            "java.util.ConcurrentModificationException",
            "java.util.concurrent.TimeoutException",
            "java.util.concurrent.CancellationException",
            "java.util.concurrent.CompletionException",
            "java.util.concurrent.ExecutionException",
            "java.io.IOException",
            "java.io.UncheckedIOException",
            "java.io.FileNotFoundException",
            "java.io.EOFException",
            "java.nio.file.NoSuchFileException",
            "java.nio.file.FileAlreadyExistsException",
            "java.nio.file.AccessDeniedException",
            "java.net.ConnectException",
            "java.net.SocketTimeoutException",
            "java.net.UnknownHostException",
            "java.net.http.HttpTimeoutException",
            "java.time.DateTimeException",
            "java.sql.SQLException");

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
        ErrorInfo cause =
                t.getCause() != null && t.getCause() != t && depth < MAX_CAUSES ? of(t.getCause(), depth + 1) : null;
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
     * Rebuilds the exception: the original type when the rules in the {@linkplain ErrorInfo class description} allow
     * it, with {@code loader} the function's class loader; otherwise a {@link StepFailedException} carrying this
     * information. The stack is restored either way.
     */
    public Throwable rebuild(ClassLoader loader) {
        return rebuild(loader, 0);
    }

    private Throwable rebuild(ClassLoader loader, int depth) {
        Throwable cause = this.cause == null || depth >= MAX_CAUSES ? null : this.cause.rebuild(loader, depth + 1);
        Throwable t = instantiate(loader, cause);
        if (t == null) {
            t = new StepFailedException(summary(), this, cause);
        }
        t.setStackTrace(stackElements());
        return t;
    }

    private Throwable instantiate(ClassLoader loader, Throwable cause) {
        try {
            if (type == null) {
                return null;
            }
            Class<?> c = Class.forName(type, false, loader);
            if (!Throwable.class.isAssignableFrom(c)
                    || !Modifier.isPublic(c.getModifiers())
                    || Modifier.isAbstract(c.getModifiers())
                    || !(isApplicationClass(c, loader) || isAllowedJdkType(c))) {
                return null;
            }
            Class<? extends Throwable> tc = c.asSubclass(Throwable.class);
            Constructor<? extends Throwable> withCause = causeConstructor(tc, cause);
            if (withCause != null) {
                return withCause.newInstance(message, cause);
            }
            Throwable t;
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

    /** A public {@code (String, X)} constructor that takes {@code cause}: {@code X} is Throwable or cause's type. */
    private static Constructor<? extends Throwable> causeConstructor(Class<? extends Throwable> c, Throwable cause) {
        try {
            return c.getConstructor(String.class, Throwable.class);
        } catch (NoSuchMethodException e) {
            if (cause == null) {
                return null;
            }
            for (Constructor<?> k : c.getConstructors()) {
                Class<?>[] params = k.getParameterTypes();
                if (params.length == 2
                        && params[0] == String.class
                        && Throwable.class.isAssignableFrom(params[1])
                        && params[1].isInstance(cause)) {
                    @SuppressWarnings("unchecked")
                    Constructor<? extends Throwable> found = (Constructor<? extends Throwable>) k;
                    return found;
                }
            }
            return null;
        }
    }

    /**
     * Whether {@code c} is the application's: defined by {@code loader} or a parent of it below the platform loader,
     * in a package its module exports, and not part of the JDK (whose tool modules the application loader defines).
     */
    private static boolean isApplicationClass(Class<?> c, ClassLoader loader) {
        ClassLoader defining = c.getClassLoader();
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        if (defining == null || defining == platform) {
            return false;
        }
        Module module = c.getModule();
        if (module.isNamed() && (!module.isExported(c.getPackageName()) || isJdkModule(module))) {
            return false;
        }
        for (ClassLoader l = loader; l != null && l != platform; l = l.getParent()) {
            if (l == defining) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJdkModule(Module module) {
        String name = module.getName();
        return module.getLayer() == ModuleLayer.boot() && (name.startsWith("java.") || name.startsWith("jdk."));
    }

    /** Whether {@code c} is the JDK's own class of a name in {@link #JDK_TYPES}. */
    private static boolean isAllowedJdkType(Class<?> c) {
        ClassLoader defining = c.getClassLoader();
        return JDK_TYPES.contains(c.getName())
                && (defining == null || defining == ClassLoader.getPlatformClassLoader());
    }

    private StackTraceElement[] stackElements() {
        List<StackTraceElement> out = new ArrayList<>();
        for (String frame : stack == null ? List.<String>of() : stack) {
            StackTraceElement e = parseFrame(frame);
            if (e != null) {
                out.add(e);
            }
        }
        return out.toArray(StackTraceElement[]::new);
    }

    // Parses "pkg.Class.method(File.java:12)" as printed by StackTraceElement.toString().
    private static StackTraceElement parseFrame(String frame) {
        if (frame == null) {
            return null;
        }
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
        for (String f : stack == null ? List.<String>of() : stack) {
            p.println("\tat " + f);
        }
        if (cause != null) {
            p.print("Caused by: " + cause.stackText());
        }
        p.flush();
        return w.toString();
    }
}
