package dev.durable.systemtests;

import dev.durable.BatchResult;
import dev.durable.ContextFunction;
import dev.durable.Durable;
import dev.durable.DurableContext;
import dev.durable.ParallelConfig;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import java.time.Duration;
import java.util.List;

/**
 * The workflow the crash harness kills: annotated steps (at-least-once with retries, at-most-once), a wait, a
 * callback, and through the context API a step that fails twice before it succeeds, an at-most-once step that
 * knows its attempt, parallel branches (one of them waiting), a map, a child context and an invoked child
 * execution. Every body logs a {@code run} line, every returned call an {@code ack} line (see {@link EffectLog}).
 * The result depends on the input only, so a resumed execution must return what an uninterrupted one does.
 */
@DurableFunction("mixed")
public class MixedWorkflow {
    /** Plenty of attempts: each attempt interrupted by a kill uses one up. */
    static final StepConfig AT_MOST_ONCE = StepConfig.builder()
            .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
            .retry(RetryPolicy.builder()
                    .maxAttempts(50)
                    .initialDelay(Duration.ofMillis(10))
                    .backoff(1.0)
                    .build())
            .build();

    static final StepConfig FAST_RETRY = StepConfig.builder()
            .retry(RetryPolicy.builder()
                    .maxAttempts(5)
                    .initialDelay(Duration.ofMillis(40))
                    .backoff(1.0)
                    .build())
            .build();
    /** How many attempts of the {@code price} step fail before one succeeds. */
    static final int PRICE_FAILURES = 2;

    private final EffectLog effects;

    public MixedWorkflow(EffectLog effects) {
        this.effects = effects;
    }

    /** The payload the outside world completes this execution's callback with. */
    static String approvalFor(String execution) {
        return "approved:" + execution;
    }

    @Handler
    public String run(String order) {
        DurableContext ctx = Durable.context();
        String me = ctx.executionName();
        String reserved = effects.ack(me, "reserve", reserve(me, order));
        String price = effects.ack(
                me,
                "price",
                ctx.step(
                        "price",
                        String.class,
                        s -> {
                            effects.run(me, "price", s.attempt());
                            if (s.attempt() <= PRICE_FAILURES) {
                                throw new IllegalStateException("price service busy (attempt " + s.attempt() + ")");
                            }
                            return "P" + order.length() * 7;
                        },
                        FAST_RETRY));
        String charged = effects.ack(
                me,
                "charge",
                ctx.step(
                        "charge",
                        String.class,
                        s -> {
                            effects.run(me, "charge", s.attempt());
                            Thread.sleep(15); // a wider window for a kill inside the body
                            return "C-" + order;
                        },
                        AT_MOST_ONCE));
        String notified = effects.ack(me, "notify", notifyCustomer(me, order));
        coolOff();
        String approval = effects.ack(me, "approval", approval(me));
        BatchResult<String> packed = ctx.parallel(
                "pack",
                String.class,
                List.of(pack(me, 0), pack(me, 1), pack(me, 2), c -> effects.ack(me, "seal", seal(me))),
                ParallelConfig.defaults());
        BatchResult<Integer> weights = ctx.map(
                "weigh",
                List.of(3, 1, 4),
                Integer.class,
                (item, i, c) -> effects.ack(me, "weigh-" + i, c.step("weigh-" + i, Integer.class, s -> {
                    effects.run(me, "weigh-" + i, s.attempt());
                    return item * 10;
                })),
                ParallelConfig.defaults());
        String audit = ctx.runInChildContext("audit", String.class, c -> {
            c.wait("audit-pause", Duration.ofMillis(50));
            return effects.ack(me, "audit-entry", c.step("audit-entry", String.class, s -> {
                effects.run(me, "audit-entry", s.attempt());
                return "audited";
            }));
        });
        String label = ctx.invoke("label", "labeler", order, String.class);
        String shipped = effects.ack(me, "ship", ship(me, label));
        return String.join(
                "|",
                reserved,
                price,
                charged,
                notified,
                approval,
                String.join("+", packed.throwIfFailed().results()),
                weights.throwIfFailed().results().toString(),
                audit,
                label,
                shipped);
    }

    private ContextFunction<String> pack(String me, int box) {
        String op = "pack-" + box;
        return c -> {
            String packed = effects.ack(me, op, c.step(op, String.class, s -> {
                effects.run(me, op, s.attempt());
                return "box" + box;
            }));
            if (box == 1) {
                c.wait("pack-settle", Duration.ofMillis(60));
            }
            return packed;
        };
    }

    @Step(retry = @Retry(maxAttempts = 5, initialDelay = "PT0.04S", backoff = 1.0))
    String reserve(String me, String order) {
        effects.run(me, "reserve", 0);
        return "R-" + order;
    }

    @Step(
            value = "notify",
            semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY,
            retry = @Retry(maxAttempts = 50, initialDelay = "PT0.01S", backoff = 1.0))
    String notifyCustomer(String me, String order) {
        effects.run(me, "notify", 0);
        return "N-" + order;
    }

    @Wait("PT0.1S")
    void coolOff() {}

    @Callback(timeout = "PT10M")
    String approval(String me) {
        effects.run(me, "approval.submit", 0);
        effects.callback(me, Durable.callbackId());
        return null;
    }

    @Step
    String seal(String me) {
        effects.run(me, "seal", 0);
        return "sealed";
    }

    @Step
    String ship(String me, String label) {
        effects.run(me, "ship", 0);
        return "shipped-" + label;
    }
}
