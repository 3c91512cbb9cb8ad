package dev.durable.systemtests;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.durable.runtime.postgres.PostgresRuntime;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of the PostgreSQL runtime that the tests kill or pause: opens a worker on the database and runs
 * until its standard input ends (then closes and exits) or it is killed. In {@code mixed} mode it makes sure every
 * named execution is started (a start of one that exists, here or on another worker, is a no-op), as
 * {@link CrashChild} does: a client of the PostgreSQL runtime cannot start an execution of a function it does not
 * register, and one that registers it runs it too.
 *
 * <p>Modes: {@code mixed} registers {@link MixedWorkflow} and {@link Labeler} (the generated proxies) over the effect
 * log; {@code zombie} registers {@code slow}, whose step {@code slow} logs {@code run <execution> slow}, sleeps
 * {@code slowMillis} and logs {@code run <execution> slow-end} before it returns, and whose step {@code second} logs
 * {@code run <execution> second}. When the engine unwinds the handler (a lost lease), it prints {@code UNWOUND
 * <execution> <cause>}.
 *
 * <p>Prints {@code READY} once the worker runs. Arguments: mode, JDBC URL, schema, worker id, effect log, lease in
 * milliseconds, then for {@code mixed} the comma-separated execution names, for {@code zombie} the step's sleep in
 * milliseconds and the execution to start. Prints {@code STARTED <execution>} for each start acknowledged.
 */
public final class PostgresWorkerChild {
    private PostgresWorkerChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[1]);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setPoolName("worker-" + args[3]);
        HikariDataSource ds = new HikariDataSource(config);
        EffectLog effects = EffectLog.open(Path.of(args[4]), false);
        PostgresRuntime runtime = PostgresRuntime.builder()
                .dataSource(ds)
                .schema(args[2])
                .workerId(args[3])
                .lease(Duration.ofMillis(Long.parseLong(args[5])))
                .pollInterval(Duration.ofMillis(100))
                .threads(16)
                .open();
        if (mode.equals("zombie")) {
            long slowMillis = Long.parseLong(args[6]);
            runtime.register("slow", String.class, String.class, (in, ctx) -> {
                String me = ctx.executionName();
                try {
                    String slow = ctx.step("slow", String.class, s -> {
                        effects.run(me, "slow", s.attempt());
                        Thread.sleep(slowMillis);
                        effects.run(me, "slow-end", s.attempt());
                        return "slow-by-" + args[3];
                    });
                    effects.ack(me, "slow", slow);
                    return ctx.step("second", String.class, s -> {
                        effects.run(me, "second", s.attempt());
                        return slow + "+second-by-" + args[3];
                    });
                } catch (Throwable t) {
                    System.out.println("UNWOUND " + me + " "
                            + (t.getCause() != null ? t.getCause() : t)
                                    .toString()
                                    .replace('\n', ' '));
                    throw t;
                }
            });
        } else {
            runtime.register(new MixedWorkflow_Durable(effects));
            runtime.register(new Labeler_Durable(effects));
        }
        System.out.println("READY");
        if (mode.equals("zombie")) {
            runtime.start("slow", args[7], args[7]);
            System.out.println("STARTED " + args[7]);
        } else if (args.length > 6 && !args[6].isEmpty()) {
            for (String name : args[6].split(",")) {
                try {
                    runtime.start("mixed", name, name);
                    System.out.println("STARTED " + name);
                } catch (RuntimeException e) {
                    System.out.println(
                            "START-ERROR " + name + " " + e.toString().replace('\n', ' '));
                }
            }
        }
        while (System.in.read() >= 0) {
            // runs until the test closes standard input or kills this JVM
        }
        runtime.close();
        ds.close();
        System.exit(0);
    }
}
