package dev.durable.cli;

import dev.durable.Names;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that works on a journal directory given by {@code --journal}. */
abstract class JournalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JournalDirectory journal;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    /** An execution name from the command line, checked by the rules of the Java API; a bad one is a usage error. */
    static String executionName(String name) {
        try {
            return Names.checkExecution(name);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }

    /** A callback id from the command line, checked the same way. */
    static String callbackId(String id) {
        try {
            return Names.checkCallbackId(id);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
