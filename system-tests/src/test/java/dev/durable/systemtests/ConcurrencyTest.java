package dev.durable.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.durable.CallbackAlreadyCompletedException;
import dev.durable.CallbackConfig;
import dev.durable.Execution;
import dev.durable.ExecutionConflictException;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads at once start executions (the same names from several threads), complete their callbacks (several
 * payloads racing for each), cancel them (several cancels racing too) and start them again, with the same input
 * and with another, on a file journal. Nothing deadlocks; each
 * completion wins exactly once or gets {@link CallbackAlreadyCompletedException}; each execution ends either with
 * the winning payload or cancelled by exactly one cancel; and a restart finds exactly that.
 */
class ConcurrencyTest {
    private static final int EXECUTIONS = 100;
    private static final int COMPLETERS = 4;
    private static final int CANCELLERS = 2;
    private static final int THREADS = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Map<String, String> callbackOf = new ConcurrentHashMap<>();
    private final Random random = new Random(42);

    private LocalRuntime open() {
        LocalRuntime runtime = LocalRuntime.open(dir);
        runtime.register(
                "approve",
                String.class,
                String.class,
                (in, ctx) -> ctx.waitForCallback(
                        "answer",
                        String.class,
                        (id, s) -> callbackOf.put(s.executionName(), id),
                        CallbackConfig.defaults()));
        return runtime;
    }

    private static String name(int i) {
        return "approval-" + i;
    }

    @Test
    void racingStartsCompletionsAndCancelsEachWinOnceAndARestartFindsTheSameOutcome() throws Exception {
        Map<String, String> winningPayload = new ConcurrentHashMap<>();
        Map<String, Integer> cancelsThatWon = new ConcurrentHashMap<>();
        Map<String, ExecutionStatus> statuses = new ConcurrentHashMap<>();
        Map<String, String> results = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (LocalRuntime runtime = open()) {
            List<Callable<Object>> starts = new ArrayList<>();
            for (int copy = 0; copy < 3; copy++) {
                for (int i = 0; i < EXECUTIONS; i++) {
                    String name = name(i);
                    starts.add(() -> runtime.start("approve", name, "input").name());
                }
            }
            runAllAtOnce(pool, starts);
            assertThat(runtime.list()).hasSize(EXECUTIONS);
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
            assertThat(callbackOf).hasSize(EXECUTIONS);

            List<Callable<Object>> races = new ArrayList<>();
            for (int i = 0; i < EXECUTIONS; i++) {
                String name = name(i);
                String callback = callbackOf.get(name);
                for (int c = 0; c < COMPLETERS; c++) {
                    String payload = name + " answered by " + c;
                    races.add(() -> {
                        try {
                            runtime.completeCallback(callback, payload);
                            if (winningPayload.putIfAbsent(name, payload) != null) {
                                fail(
                                        "two completions of %s won: %s and %s",
                                        callback, winningPayload.get(name), payload);
                            }
                        } catch (CallbackAlreadyCompletedException lost) {
                            // another completion, or a cancel, came first
                        }
                        return null;
                    });
                }
                for (int c = 0; c < CANCELLERS; c++) {
                    races.add(() -> {
                        if (runtime.cancel(name)) {
                            cancelsThatWon.merge(name, 1, Integer::sum);
                        }
                        return null;
                    });
                }
                races.add(() -> runtime.start("approve", name, "input").name());
                races.add(() -> {
                    try {
                        runtime.start("approve", name, "another input");
                        return fail("a start of %s with another input must be refused", name);
                    } catch (ExecutionConflictException expected) {
                        return "conflict";
                    }
                });
            }
            runAllAtOnce(pool, races);

            for (int i = 0; i < EXECUTIONS; i++) {
                Execution<String> execution = runtime.execution(name(i));
                execution.future().handle((r, e) -> null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                statuses.put(execution.name(), execution.status());
                if (execution.status() == ExecutionStatus.SUCCEEDED) {
                    results.put(execution.name(), execution.result(Duration.ZERO));
                }
            }
        } finally {
            pool.shutdownNow();
        }

        for (int i = 0; i < EXECUTIONS; i++) {
            String name = name(i);
            ExecutionStatus status = statuses.get(name);
            if (status == ExecutionStatus.SUCCEEDED) {
                assertThat(results.get(name)).as(name).isEqualTo(winningPayload.get(name));
                assertThat(cancelsThatWon).as(name).doesNotContainKey(name);
            } else {
                assertThat(status).as(name).isEqualTo(ExecutionStatus.CANCELLED);
                assertThat(cancelsThatWon.get(name))
                        .as("cancels of %s that returned true", name)
                        .isEqualTo(1);
            }
        }

        try (LocalRuntime runtime = open()) {
            Map<String, ExecutionStatus> afterRestart =
                    runtime.list().stream().collect(Collectors.toMap(ExecutionInfo::name, ExecutionInfo::status));
            assertThat(afterRestart).isEqualTo(statuses);
            for (int i = 0; i < EXECUTIONS; i++) {
                String name = name(i);
                ExecutionDetails details = runtime.describe(name);
                String journaled = details.operation("answer").orElseThrow().result();
                if (winningPayload.containsKey(name)) {
                    assertThat(journaled)
                            .as("journaled payload of %s", name)
                            .isEqualTo("\"" + winningPayload.get(name) + "\"");
                } else {
                    assertThat(journaled)
                            .as("no payload journaled for %s", name)
                            .isNull();
                }
                if (statuses.get(name) == ExecutionStatus.SUCCEEDED) {
                    assertThat(runtime.<String>execution(name).result(TIMEOUT)).isEqualTo(results.get(name));
                }
                String callback = callbackOf.get(name);
                assertThatThrownBy(() -> runtime.completeCallback(callback, "late"))
                        .isInstanceOf(CallbackAlreadyCompletedException.class);
            }
        }
    }

    /** Runs every task on the pool, in a shuffled order, all released at once; rethrows the first failure. */
    private void runAllAtOnce(ExecutorService pool, List<Callable<Object>> tasks) throws Exception {
        List<Callable<Object>> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled, random);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> task : shuffled) {
            futures.add(pool.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        for (Future<Object> f : futures) {
            f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
