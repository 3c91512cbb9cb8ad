package dev.durable.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on a journal directory given by {@code --journal}. */
abstract class JournalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JournalDirectory journal;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
