package dev.durable.cli;

import dev.durable.spi.weaving.ProxyRegistration;
import dev.durable.testing.ExecutionReplay;
import dev.durable.testing.JournalReplayer;
import dev.durable.testing.ReplayReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "check-compat",
        header = "Replay every execution in flight against new application code, before deploying it.",
        description = {
            "Loads the new code from --classpath, replays each unfinished execution of the journal against"
                    + " it and reports, per execution, the first operation the new code performs differently, with what"
                    + " the journal holds and what the code did. Exit code 0 when every execution replays, 5 when one"
                    + " does not: run it in CI before a deploy.",
            "The journal is copied first and never changed, so it may belong to the running application. Step"
                    + " bodies whose outcome is journaled do not run. The functions are the generated proxies"
                    + " found on the classpath, each built with null, zero or false for every constructor"
                    + " parameter (replay does not call the dependencies of completed steps); where a handler needs"
                    + " them outside its steps, name a --functions class that builds the instances."
        })
final class CheckCompatCommand extends JournalCommand {
    @Option(
            names = "--classpath",
            required = true,
            split = "[:;]",
            paramLabel = "PATH",
            description = "The new application: jars and class directories, separated by ':'.")
    List<Path> classpath;

    @Option(
            names = "--functions",
            paramLabel = "CLASS",
            description = "A class on the classpath with a public no-argument constructor that implements"
                    + " java.util.function.Supplier<Collection<?>>, returning the function instances to replay with.")
    String functions;

    @Option(names = "--all", description = "Replay ended executions too (they compare their results).")
    boolean all;

    @Override
    public Integer call() {
        journal.requireJournal();
        try (URLClassLoader loader = new URLClassLoader(urls(), CheckCompatCommand.class.getClassLoader())) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                return check(loader);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int check(ClassLoader loader) {
        List<Object> instances = functions == null ? proxies(loader) : supplied(loader);
        if (instances.isEmpty()) {
            throw CommandFailure.usage("no durable functions on --classpath " + classpath + ": compile the"
                    + " application with durable-processor so that its proxies register themselves, or name a"
                    + " --functions class that returns the function instances");
        }
        JournalReplayer replayer = JournalReplayer.create();
        instances.forEach(replayer::register);
        if (!all) {
            replayer.unfinishedOnly();
        }
        ReplayReport report = replayer.replay(journal.path());
        Table table = new Table("EXECUTION", "FUNCTION", "VERDICT");
        for (ExecutionReplay e : report.executions()) {
            table.row(
                    e.execution(),
                    e.function() == null ? "-" : e.function(),
                    e.verdict().name());
            if (!e.isOk()) {
                table.note(2, Format.oneLine(e.toString()));
            }
        }
        table.print(out());
        int problems = report.problems().size();
        int replayed = report.executions().size();
        String which = (replayed == 1 ? "execution" : "executions") + (all ? "" : " in flight");
        out().println(
                        replayed == 0
                                ? "no " + (all ? "executions" : "executions in flight") + " to replay"
                                : replayed + " " + which + " replayed: "
                                        + (problems == 0 ? "all replay with the new code" : problems + " did not"));
        if (problems > 0) {
            throw new CommandFailure(
                    ExitCodes.INCOMPATIBLE,
                    "the new code does not replay " + problems + " of "
                            + replayed + " " + which + ", first "
                            + Format.oneLine(report.problems().get(0).toString())
                            + ". Guard the change with Durable.patched(...), keep the old version registered"
                            + " beside the new one (@DurableFunction(version = ...)), or let these executions end first");
        }
        return ExitCodes.OK;
    }

    private URL[] urls() {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            if (!Files.exists(p)) {
                throw CommandFailure.usage("--classpath names " + p + ", which does not exist");
            }
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw CommandFailure.usage("--classpath names " + p + ", which is not a path: " + e.getMessage());
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Every generated proxy on the classpath, built with placeholder arguments. */
    private List<Object> proxies(ClassLoader loader) {
        List<Object> out = new ArrayList<>();
        for (ProxyRegistration r : ServiceLoader.load(ProxyRegistration.class, loader)) {
            out.add(placeholderInstance(r.proxyClass()));
        }
        return out;
    }

    static Object placeholderInstance(Class<?> type) {
        Constructor<?> c = Arrays.stream(type.getConstructors())
                .min(Comparator.comparingInt(Constructor::getParameterCount))
                .orElseThrow(() -> CommandFailure.usage(
                        type.getName() + " has no public constructor; name a" + " --functions class that builds it"));
        Object[] args = Arrays.stream(c.getParameterTypes())
                .map(CheckCompatCommand::placeholder)
                .toArray();
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw CommandFailure.usage("cannot build " + type.getName() + " with null, zero or false for its"
                    + " constructor's parameters (" + e.getCause() + "); name a --functions class that builds it");
        } catch (ReflectiveOperationException e) {
            throw CommandFailure.usage("cannot build " + type.getName() + ": " + e);
        }
    }

    private static Object placeholder(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        return java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(type, 1), 0);
    }

    private List<Object> supplied(ClassLoader loader) {
        Object supplier;
        try {
            supplier = Class.forName(functions, true, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw CommandFailure.usage(
                    "cannot create --functions " + functions + " with its public no-argument" + " constructor: " + e);
        }
        if (!(supplier instanceof Supplier<?> s) || !(s.get() instanceof Collection<?> c)) {
            throw CommandFailure.usage("--functions " + functions + " must implement"
                    + " java.util.function.Supplier<Collection<?>> and return the function instances");
        }
        return new ArrayList<>(c);
    }
}
