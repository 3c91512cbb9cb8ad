package dev.durable.processor;

import static org.assertj.core.api.Assertions.assertThat;

import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

class ValidationReportTest {
    @Test
    void aProcessorBugBecomesOneErrorWithTheStack() {
        ValidationReport report = ValidationReport.crash(null, new IllegalStateException("bug"));

        assertThat(report.hasErrors()).isTrue();
        assertThat(report.items()).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(item.message())
                    .startsWith("durable-processor failed; please report this with the stack trace:")
                    .contains("java.lang.IllegalStateException: bug")
                    .contains("at " + ValidationReportTest.class.getName());
        });
    }

    @Test
    void aLintBugIsReportedAtTheLintsKind() {
        ValidationReport report =
                ValidationReport.crash(null, new IllegalStateException("bug"), Diagnostic.Kind.WARNING);

        assertThat(report.hasErrors()).isFalse();
        assertThat(report.items()).singleElement().satisfies(item -> {
            assertThat(item.kind()).isEqualTo(Diagnostic.Kind.WARNING);
            assertThat(item.message())
                    .startsWith("durable-processor failed; please report this")
                    .contains("java.lang.IllegalStateException: bug");
        });
    }

    @Test
    void builderCollectsEveryFindingInOrder() {
        ValidationReport first = ValidationReport.builder().error("a", null).build();

        ValidationReport report = ValidationReport.builder()
                .addAll(first)
                .error("b", null, null)
                .error("c", null, null, null)
                .error("d", null)
                .build();

        assertThat(report.isEmpty()).isFalse();
        assertThat(report.items()).extracting(ValidationReport.Item::message).containsExactly("a", "b", "c", "d");
    }

    @Test
    void emptyReportHasNoErrors() {
        assertThat(ValidationReport.builder().build().hasErrors()).isFalse();
        assertThat(ValidationReport.empty().isEmpty()).isTrue();
    }
}
