package dev.durable.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
    private final TraceIds ids = TraceIds.of("order-42", Instant.parse("2026-03-01T10:15:30.123456789Z"));

    @Test
    void anOperationsSpanIsTheSpanOfItsKeyInEveryProcess() {
        for (String id : new String[] {"1", "12", "3/2/7", "1/patch:fix"}) {
            assertThat(ids.operation(id)).isEqualTo(ids.context("op:" + id));
            assertThat(ids.operation(id).getSpanId())
                    .isEqualTo(TraceIds.of("order-42", Instant.parse("2026-03-01T10:15:30.123456789Z"))
                            .operation(id)
                            .getSpanId());
        }
    }

    @Test
    void anAttemptsSpanIsTheSpanOfItsKeyWhateverTheDigitsOfItsTime() {
        Instant[] times = {
            Instant.EPOCH,
            Instant.ofEpochSecond(0, 5),
            Instant.parse("2026-12-03T08:00:00Z"),
            Instant.parse("2026-12-03T08:00:00.000000010Z"),
            Instant.ofEpochSecond(-86_400, 999_999_999),
            Instant.MAX
        };
        for (Instant t : times) {
            for (int attempt : new int[] {0, 1, 9, 10, 123}) {
                String key = "attempt:4/1:" + attempt + ":" + t.getEpochSecond() + "." + t.getNano();
                assertThat(ids.attempt("4/1", attempt, t)).as(key).isEqualTo(ids.context(key));
            }
        }
    }

    @Test
    void spansOfOtherKeysOrExecutionsDiffer() {
        assertThat(ids.operation("1")).isNotEqualTo(ids.operation("2"));
        assertThat(ids.workflow()).isEqualTo(ids.context("workflow")).isNotEqualTo(ids.operation("1"));
        TraceIds other = TraceIds.of("order-43", Instant.parse("2026-03-01T10:15:30.123456789Z"));
        assertThat(other.traceId).isNotEqualTo(ids.traceId);
        assertThat(other.operation("1").getSpanId())
                .isNotEqualTo(ids.operation("1").getSpanId());
        assertThat(ids.operation("1").isValid()).isTrue();
    }
}
