package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.IncompatibleStepResultException;
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
        assertThat(Divergence.parse("o", "Replay of execution 'o' cannot read the journaled result"))
                .isNull();
        assertThat(Divergence.parse("o", null)).isNull();
    }

    @Test
    void theMessageOfAStepResultTheCodeCannotReadIsReadBack() {
        String message = "Replay of execution 'o (1)' cannot read the journaled result of step 'quote (eu)' as a"
                + " java.util.Map<java.lang.String, java.lang.Integer> at result version 2 (operation 2/1, at"
                + " Orders.handle(Orders.java:12)): it was journaled at result version 1 as {\"a\": \"(operation 9\"},"
                + " and the code's result version is 2 and it has no migration from version 1.";
        NonDeterministicExecutionException read = Divergence.parse("o (1)", message);

        assertThat(read).isInstanceOf(IncompatibleStepResultException.class);
        assertThat(read.operationId()).isEqualTo("2/1");
        assertThat(read.expected()).isEqualTo("the result of STEP 'quote (eu)' at result version 1");
        assertThat(read.actual()).isEqualTo("a java.util.Map<java.lang.String, java.lang.Integer> at result version 2");
        assertThat(read.location()).isEqualTo("Orders.handle(Orders.java:12)");
        assertThat(read.getMessage()).isEqualTo(message);

        NonDeterministicExecutionException noLocation = Divergence.parse(
                "o",
                "Replay of execution 'o' cannot read the journaled result of step 's' as a T at result version 1"
                        + " (operation 3): it was journaled at result version 4 as 1, and that is newer.");
        assertThat(noLocation.operationId()).isEqualTo("3");
        assertThat(noLocation.location()).isNull();
        assertThat(noLocation.expected()).isEqualTo("the result of STEP 's' at result version 4");
    }
}
