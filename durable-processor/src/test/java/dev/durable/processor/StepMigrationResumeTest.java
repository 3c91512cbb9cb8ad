package dev.durable.processor;

import static dev.durable.processor.Compilations.compile;
import static dev.durable.processor.Compilations.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.ExecutionStatus;
import dev.durable.ManualClock;
import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two releases of one class compiled by the processor, each in a class loader of its own: the second reopens the
 * journal of the first, whose step result has another type now, through the generated proxy.
 */
class StepMigrationResumeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Release 1: step 'quote' returns a price in cents. */
    private static final String[] RELEASE_1 = {
        "@DurableFunction(\"quotes\")",
        "public class Quotes {",
        "  public record Quote(String id, int price) {}",
        "  @Handler public String handle(String order) {",
        "    Quote q = quote(order);",
        "    coolOff();",
        "    return q.toString();",
        "  }",
        "  @Step Quote quote(String order) { return new Quote(order, 1200); }",
        "  @Wait(\"PT1H\") void coolOff() {}",
        "}"
    };

    /** Release 2: the price is money now; results of release 1 are converted by the migration. */
    private static final String[] RELEASE_2 = {
        "@DurableFunction(\"quotes\")",
        "public class Quotes {",
        "  public record Money(int cents, String currency) {}",
        "  public record Quote(String id, Money price) {}",
        "  public record QuoteV1(String id, int price) {}",
        "  @Handler public String handle(String order) {",
        "    Quote q = quote(order);",
        "    coolOff();",
        "    return q.toString();",
        "  }",
        "  @Step(resultVersion = 2) Quote quote(String order) { return new Quote(order, new Money(900, \"CHF\")); }",
        "  @StepMigration(step = \"quote\", from = 1)",
        "  static Quote fromV1(QuoteV1 old) { return new Quote(old.id(), new Money(old.price(), \"EUR\")); }",
        "  @Wait(\"PT1H\") void coolOff() {}",
        "}"
    };

    @TempDir
    Path journal;

    private final ManualClock clock = new ManualClock();

    private LocalRuntime open(CompiledClasses release) throws ReflectiveOperationException {
        LocalRuntime runtime =
                LocalRuntime.builder().directory(journal).clock(clock).open();
        runtime.register(release.newInstance("test.Quotes_Durable"));
        return runtime;
    }

    @Test
    void theNextReleaseReplaysTheOldResultThroughItsMigration(@TempDir Path v1, @TempDir Path v2) throws Exception {
        CompiledClasses release1 = CompiledClasses.of(compile(source("Quotes", RELEASE_1)), v1);
        CompiledClasses release2 = CompiledClasses.of(compile(source("Quotes", RELEASE_2)), v2);
        try (LocalRuntime runtime = open(release1)) {
            runtime.start("quotes", "q-1", "A");
            assertThat(runtime.awaitIdle(TIMEOUT)).isTrue();
            assertThat(runtime.execution("q-1").status()).isEqualTo(ExecutionStatus.WAITING);
        }

        clock.advance(Duration.ofHours(1));
        try (LocalRuntime runtime = open(release2)) {
            assertThat(runtime.<String>execution("q-1").result(TIMEOUT))
                    .isEqualTo("Quote[id=A, price=Money[cents=1200, currency=EUR]]");
        }
    }
}
