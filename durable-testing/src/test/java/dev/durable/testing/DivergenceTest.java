package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.NonDeterministicExecutionException;
import org.junit.jupiter.api.Test;

/** A blocked execution reports its divergence as a message; the kit reads its parts back for its reports. */
class DivergenceTest {
    @Test
    void thePartsOfTheMessageAreReadBackWithAndWithoutALocation() {
        NonDeterministicExecutionException original = new NonDeterministicExecutionException(
                "o (1)", "2/1", "STEP 'a (b)'", "WAIT 'c'", "Orders.handle(Orders.java:12)");
        NonDeterministicExecutionException read = Divergence.parse("o (1)", original.getMessage());

        assertThat(read.operationId()).isEqualTo("2/1");
        assertThat(read.expected()).isEqualTo("STEP 'a (b)'");
        assertThat(read.actual()).isEqualTo("WAIT 'c'");
        assertThat(read.location()).isEqualTo("Orders.handle(Orders.java:12)");
        assertThat(read.getMessage()).isEqualTo(original.getMessage());

        NonDeterministicExecutionException noLocation = Divergence.parse(
                "o", new NonDeterministicExecutionException("o", "3", "STEP 'x'", "STEP 'y'", null).getMessage());
        assertThat(noLocation.location()).isNull();
        assertThat(noLocation.actual()).isEqualTo("STEP 'y'");
        assertThat(Divergence.parse("o", "something else")).isNull();
        assertThat(Divergence.parse("o", null)).isNull();
    }
}
