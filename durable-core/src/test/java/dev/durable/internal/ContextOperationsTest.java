package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.durable.BatchResult;
import dev.durable.CallbackConfig;
import dev.durable.ChildContextConfig;
import dev.durable.DurableCallback;
import dev.durable.ExecutionCancelledException;
import dev.durable.InvokeConfig;
import dev.durable.InvokeFailedException;
import dev.durable.OperationInfo;
import dev.durable.ParallelConfig;
import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.WaitForConditionConfig;
import dev.durable.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every generic form of the context's operations returns its value and leaves its record in the journal. */
class ContextOperationsTest {
    private final List<String> ids = new CopyOnWriteArrayList<>();

    @Test
    void theTypeTokenFormsReturnTheirValuesFirstAndOnReplay() {
        TypeToken<List<Integer>> ints = new TypeToken<>() {};
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("list", TypeToken.of(Integer.class), ints, (n, ctx) -> List.of(n, n + 1));
            e.register("all", String.class, String.class, (in, ctx) -> {
                List<Integer> step = ctx.step("s", ints, s -> List.of(1), StepConfig.defaults());
                DurableCallback<List<Integer>> cb = ctx.createCallback("cb", ints, CallbackConfig.defaults());
                ctx.step("send", String.class, s -> {
                    ids.add(cb.id());
                    return "sent";
                });
                List<Integer> got = cb.get();
                List<Integer> waited =
                        ctx.waitForCallback("wcb", ints, (id, s) -> ids.add(id), CallbackConfig.defaults());
                List<Integer> polled = ctx.waitForCondition(
                        "poll",
                        ints,
                        (state, s) -> List.of(state.size() + 1),
                        WaitForConditionConfig.of(List.of(), WaitStrategy.<List<Integer>>until(l -> !l.isEmpty())));
                List<Integer> child = ctx.runInChildContext("child", ints, c -> List.of(5));
                List<Integer> childCfg =
                        ctx.runInChildContext("child2", ints, c -> List.of(6), ChildContextConfig.serdes(null));
                BatchResult<List<Integer>> par =
                        ctx.parallel("par", ints, List.of(c -> List.of(7)), ParallelConfig.defaults());
                BatchResult<List<Integer>> mapped =
                        ctx.map("map", List.of(8), ints, (item, i, c) -> List.of(item), ParallelConfig.defaults());
                List<Integer> invoked = ctx.invoke("inv", "list", 9, ints);
                List<Integer> invokedCfg = ctx.invoke("inv2", "list", 11, ints, InvokeConfig.defaults());
                @SuppressWarnings("unchecked")
                List<Integer> invokedClass = ctx.invoke("inv3", "list", 13, List.class, InvokeConfig.defaults());
                UUID uuid = ctx.uuid();
                ctx.wait("end", Duration.ofSeconds(1));
                return step + " " + got + " " + waited + " " + polled + " " + child + childCfg + " " + par.results()
                        + mapped.results() + " " + invoked + invokedCfg + invokedClass + " " + uuid.version()
                        + uuid.variant();
            });
        })) {
            f.engine.start("all", "x", "in");
            f.idle();
            f.engine.completeCallbackJson(ids.get(0), "[2]");
            f.idle();
            f.engine.completeCallbackJson(ids.get(1), "[3]");
            f.idle();
            f.restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("[1] [2] [3] [1] [5][6] [[7]][[8]] [9, 10][11, 12][13, 14] 42");
            assertThat(f.engine.describe("x").operations())
                    .filteredOn(o -> !o.id().contains("/"))
                    .extracting(OperationInfo::type, OperationInfo::name, OperationInfo::status)
                    .containsExactly(
                            tuple("STEP", "s", "SUCCEEDED"),
                            tuple("CALLBACK", "cb", "SUCCEEDED"),
                            tuple("STEP", "send", "SUCCEEDED"),
                            tuple("CALLBACK", "wcb", "SUCCEEDED"),
                            tuple("STEP", "wcb.submit", "SUCCEEDED"),
                            tuple("WAIT_FOR_CONDITION", "poll", "SUCCEEDED"),
                            tuple("CONTEXT", "child", "SUCCEEDED"),
                            tuple("CONTEXT", "child2", "SUCCEEDED"),
                            tuple("PARALLEL", "par", "SUCCEEDED"),
                            tuple("MAP", "map", "SUCCEEDED"),
                            tuple("INVOKE", "inv", "SUCCEEDED"),
                            tuple("INVOKE", "inv2", "SUCCEEDED"),
                            tuple("INVOKE", "inv3", "SUCCEEDED"),
                            tuple("WAIT", "end", "SUCCEEDED"));
            assertThat(f.engine.describe("x").operation("inv").orElseThrow().childExecution())
                    .isEqualTo("x/11");
        }
    }

    @Test
    void anInvokedExecutionThatIsCancelledFailsTheInvokeSayingSo() {
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("sleep", String.class, String.class, (in, ctx) -> {
                ctx.wait("long", Duration.ofDays(1));
                return in;
            });
            e.register("parent", String.class, String.class, (in, ctx) -> {
                try {
                    return ctx.invoke("call", "sleep", in, String.class);
                } catch (InvokeFailedException x) {
                    return x.getMessage() + " | " + x.error().type();
                }
            });
        })) {
            f.engine.start("parent", "p", "in");
            f.idle();
            f.engine.cancel("p/1");
            f.idle();
            f.restart();
            assertThat(f.engine.<String>execution("p").result(Duration.ofSeconds(5)))
                    .isEqualTo("invoked function 'sleep' (operation 1 'call' of execution 'p') was cancelled | "
                            + ExecutionCancelledException.class.getName());
            assertThat(f.engine.describe("p").operations().get(0).status()).isEqualTo("FAILED");
        }
    }

    @Test
    void anInvokedResultThatDoesNotConvertFailsTheInvokeAndIsRecorded() {
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("word", String.class, String.class, (in, ctx) -> "not a number");
            e.register("parent", String.class, String.class, (in, ctx) -> {
                try {
                    return "got " + ctx.invoke("call", "word", in, Integer.class);
                } catch (InvokeFailedException x) {
                    return x.getMessage()
                                    .startsWith(
                                            "the result of invoked function 'word' (operation 1 'call' of execution 'p')"
                                                    + " does not convert to java.lang.Integer: ")
                            ? "refused"
                            : x.getMessage();
                }
            });
        })) {
            assertThat(f.engine.<String>start("parent", "p", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("refused");
            assertThat(f.engine.describe("p").operations().get(0).status()).isEqualTo("FAILED");
        }
    }
}
