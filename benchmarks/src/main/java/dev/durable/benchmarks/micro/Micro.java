package dev.durable.benchmarks.micro;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH micro-benchmarks of this package:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar micro [JMH options] [benchmark regex...]
 * java -cp benchmarks/target/benchmarks.jar dev.durable.benchmarks.micro.Micro [JMH options] [benchmark regex...]
 * }</pre>
 *
 * <p>The arguments are JMH's own ({@code -h} lists them). Without a benchmark regex, every benchmark of this package
 * runs; a regex given on the command line is used as it is. The benchmarks default to settings for a small, noisy
 * machine: one fork, 3 warm-up iterations of 1 s (5 for {@link MemoryModeStep}) and 5 measured iterations of 1 s,
 * average time per operation in nanoseconds; {@code -f}, {@code -wi}, {@code -w}, {@code -i}, {@code -r}, {@code -bm}
 * and {@code -tu} override them. For example:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar micro -f 1 -wi 1 -i 1 -w 1s -r 1s   # a quick look: about 25 s in all
 * java -jar benchmarks/target/benchmarks.jar micro MemoryModeStep -f 3           # one class, three forks
 * java -jar benchmarks/target/benchmarks.jar micro -l                            # list the benchmarks
 * }</pre>
 */
public final class Micro {
    /** Matches every benchmark of this package, and no other. */
    static final String THIS_PACKAGE = "^" + Pattern.quote(Micro.class.getPackageName() + ".");

    private Micro() {}

    /** Runs JMH with {@code args}, restricted to this package's benchmarks unless {@code args} name some. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(withDefaultInclude(args));
    }

    /** {@code args}, with this package's regex added if they have no benchmark regex of their own. */
    static String[] withDefaultInclude(String[] args) {
        List<String> includes;
        try {
            includes = new CommandLineOptions(args).getIncludes();
        } catch (CommandLineOptionException e) {
            return args; // JMH reports the error itself
        }
        if (!includes.isEmpty()) {
            return args;
        }
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add(THIS_PACKAGE);
        return all.toArray(String[]::new);
    }
}
